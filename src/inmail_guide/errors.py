"""The one error the docs extension raises; MkDocs adds the page name when it reports it."""


class GuideError(ValueError):
    """A marker, an example draft or a data file in the docs is wrong. The build must stop."""
