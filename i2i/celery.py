"""The Celery app: PDFs, emails and reminders run here, off the request."""

import os

from celery import Celery
from celery.signals import worker_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "i2i.settings")

app = Celery("i2i")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _yield_to_the_web(**kwargs):
    """Background work (PDFs above all) runs at a lower CPU priority than the web, so pages
    stay quick while packs are laid out; the pool's processes inherit it."""
    raise_by = settings.WORKER_NICENESS - os.nice(0)
    if raise_by > 0:
        os.nice(raise_by)
