"""govqa's Telegram bot (python-telegram-bot v22): ``build_application(config, services)``."""
