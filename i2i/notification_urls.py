from django.urls import path

from i2i import notification_views

urlpatterns = [
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/sent/", notification_views.notifications_sent, name="notifications_sent"),
]
