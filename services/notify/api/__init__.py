"""Notify's HTTP API: routers by area, all under `/notify`."""

from services.notify.api import deliveries, messages, subscriptions, webhooks

routers = [deliveries.router, subscriptions.router, messages.router, webhooks.router]
