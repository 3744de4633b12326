"""gunicorn's settings, read from the working directory by `gunicorn calpae.wsgi` (the Procfile, `make prod`,
benchmarks/charge.py): one place for how the pages are served. The environment variables are in docs/production.md.

Measured with benchmarks/charge.py (50 users, 2 cores): with the application imported by each process and
`--max-requests 200 --max-requests-jitter 20`, the three processes reached their limit within 3 s of each other and
booted again together; nothing was served for 4 to 5 s, four times in 3 minutes, and those stalls were the pages' 95th
percentile. Now the application is loaded once, before the processes are forked (`preload_app`): a process that
is replaced is forked from the loaded master in milliseconds, its templates already compiled
(`core.processus.preparer_le_processus`), and the limits are spread widely so that replacements come one at a time.
"""

import os

bind = f"{os.environ.get('GUNICORN_BIND', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))

# The application (Django, the apps, the URLconf, the compiled templates) is imported by the master, then forked.
preload_app = True
# A process is replaced after max_requests plus up to max_requests_jitter requests: what a long-lived process may have
# accumulated (fragmented memory) is returned; the wide jitter keeps the processes from being replaced together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 2

# Logs on the standard output and error, which the platform collects; the access line carries the duration.
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)s ms'
# The heartbeat files of the processes in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
