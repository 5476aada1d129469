"""The REST API (v1): a second door to the same selectors, rules and services as the pages,
for programs that hold a member's personal access token (docs/api.md)."""
