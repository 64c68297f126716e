"""Server-rendered pages of lavoro: employers, host bodies, candidates, opportunities."""
