"""What every app of the house shares, and nothing else: no models, no domain.

- ``access``: ``member_for(user, obj, permission)``, the one permission check before a write;
- ``errors``: ``DomainError``, the base of every error a user can cause;
- ``deferred``: the one way to run work (a task, an e-mail) once the transaction commits;
- ``content``: the registry of content kinds, filled from each app's ``content.py``;
- ``pages``: ``org_page`` and ``page_context``, what every organisation page starts with;
- ``forms``: ``form_submit``, the view's half of "form → service";
- ``todo``: the registry of what needs a member (their to-do), filled from each app's ``todo.py``.

The kernel sits just above ``methods`` in the layers (docs/architecture.md): it imports no app.
Where it must read an app's model (the organisation, the membership) it asks Django's app
registry by label.
"""
