"""Notifications: a member's notices, in the app and by e-mail, and their digests."""
