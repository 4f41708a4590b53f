"""Use cases over ports (repositories, unit of work, clock). No SQL, no HTTP, no terminal."""
