"""The routes, one module per page (and one for the JSON API); each route is thin."""
