"""`backstride serve`: the local web app."""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.adapters.db.database import DatabaseError, resolve_url
from backstride.cli.common import DbOption, err, fail
from backstride.cli.main import app


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    host: Annotated[
        str, typer.Option(help="Address to listen on (local only by default).")
    ] = "127.0.0.1",
    db: DbOption = None,
) -> None:
    """Start the local web app and print its address."""
    import uvicorn

    from backstride.web.app import create_app

    url = resolve_url(db)
    try:
        web_app = create_app(url)
    except DatabaseError as error:
        fail([str(error)])
    err.print(f"backstride is running at http://{host}:{port}/  (Ctrl+C to stop)")
    err.print(f"Database: {url.split('@')[-1]}")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
