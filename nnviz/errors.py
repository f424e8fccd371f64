"""The engine's one error type, in a module of its own so every engine module can raise it."""


class NetworkError(ValueError):
    """An invalid network, network file or argument; the message names what is wrong."""
