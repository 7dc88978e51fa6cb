"""What the bot does with each kind of update, one module a concern: :mod:`.questions`
(text messages, /ask, follow-ups, sources, /reset), :mod:`.facts` (/officials, /meetings,
/figures, /stats), :mod:`.uploads` (report files sent by admins), :mod:`.general` (/start,
/help, the command menu, errors). :mod:`bot.app` registers them.

Everything slow (the answering chain, store queries, ingesting) runs in a worker thread, so the
event loop keeps serving other chats. Questions of one chat are answered one after another (a
follow-up needs the answer before it); different chats are served concurrently.
"""
