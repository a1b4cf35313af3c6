"""gunicorn settings read automatically from the project root (also by the Procfile)."""
import glob
import os
import shutil
import tempfile

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
threads = 4
timeout = 60

# /metrics adds up every worker of this server (prometheus-client's multiprocess mode): each
# worker writes its counts to files in this directory. It must be empty when the server starts.
_METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_own_metrics_dir = None


def on_starting(server):
    global _own_metrics_dir
    path = os.environ.get(_METRICS_ENV)
    if path:
        os.makedirs(path, exist_ok=True)
        for stale in glob.glob(os.path.join(path, "*.db")):
            os.remove(stale)
    else:
        path = _own_metrics_dir = tempfile.mkdtemp(prefix="bot-metrics-")
    os.environ[_METRICS_ENV] = path  # the workers, forked from here, inherit it


MALLOC_ARENA_MAX = 2  # glibc gives each thread its own heap by default: a threaded worker's RSS grows with them


def post_fork(server, worker):
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).mallopt(-8, MALLOC_ARENA_MAX)  # -8: M_ARENA_MAX
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def post_worker_init(worker):
    # Build the app (database, catalogue, matcher, delivery thread) before this worker serves.
    from webhook import app
    app.warm()


def worker_exit(server, worker):
    # A graceful stop (a deploy): sends under way finish and their outcomes are written down.
    from webhook import app
    app.stop()


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)  # its memory gauge goes; its counts stay in the totals


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(_own_metrics_dir, ignore_errors=True)
