"""App Engine's entry point (`gunicorn main:app`): the service configured from `OKRTREE_*`
environment variables, which app.yaml and worker.yaml set."""

from service import create_app

app = create_app()
