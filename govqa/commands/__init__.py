"""The commands of `govqa`, one module a command or a few commands that belong together.

:mod:`govqa.cli` holds the `govqa` group and adds each command to it:

* :mod:`~govqa.commands.ingest` - ``ingest`` (and ``--watch``).
* :mod:`~govqa.commands.remove` - ``remove``.
* :mod:`~govqa.commands.ask` - ``ask`` and ``chat``, and how an answer is printed.
* :mod:`~govqa.commands.inspect` - ``inspect``.
* :mod:`~govqa.commands.stats` - ``stats``.
* :mod:`~govqa.commands.check` - ``check``.
* :mod:`~govqa.commands.eval` - ``eval``.
* :mod:`~govqa.commands.facts` - ``officials``, ``meetings`` and ``figures``.
* :mod:`~govqa.commands.bot` - ``bot``.
* :mod:`~govqa.commands.models` - ``models prepare``.
* :mod:`~govqa.commands.shared` serves them all (the context object, ``pass_context``,
  errors, output); it imports nothing else of the package.

Heavy libraries (torch, chromadb, the bot) are imported inside the commands, never at the
top of a module, so that ``govqa --help`` stays fast.
"""
