"""Placeholder: the notifications pages are being written (see i2i/notification_views.py)."""

urlpatterns: list = []
