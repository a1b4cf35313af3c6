"""gunicorn settings read automatically from the project root (also by the Procfile)."""
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
threads = 4
timeout = 60


def post_worker_init(worker):
    # Build the app (database, catalogue, matcher, delivery thread) before this worker serves.
    from webhook import app
    app.warm()
