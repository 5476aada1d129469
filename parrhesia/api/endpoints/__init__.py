"""The API's operations, one module per part of the site; each asks the same rules and calls
the same selectors and services as the part's pages."""
