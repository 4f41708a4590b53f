"""The local web app and JSON API: thin routes over the services."""
