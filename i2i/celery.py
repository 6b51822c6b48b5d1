"""The Celery app: PDFs, emails and reminders run here, off the request."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "i2i.settings")

app = Celery("i2i")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
