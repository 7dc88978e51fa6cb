"""The commands of `govqa`.

:mod:`govqa.cli` holds the `govqa` group and its commands; :mod:`~govqa.commands.shared`
serves them all (the context object, ``pass_context``, errors, output).
"""
