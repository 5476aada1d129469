"""Pure algorithms of Parrhesia.

Nothing in this package imports Django or any other part of Parrhesia: it is usable from the
command line and from tests alone. Django apps call it; it never calls them.
"""
