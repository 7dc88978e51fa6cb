"""Every user-facing sentence of the bot, in zh-Hans, zh-Hant and English.

Strings are plain text with ``{name}`` placeholders; the formatting layer escapes them (and
the values filled in) before they go out as HTML.
"""

from __future__ import annotations

from telegram import Update

from ingest.script import Script, detect_script

SOURCES_BUTTON = "来源 / Sources"

_MESSAGES: dict[str, dict[Script, str]] = {
    "welcome": {
        "zh-hans": "你好！我回答关于已收录的地方政府报告的问题，并给出答案所依据的原句。"
        "直接发问即可，例如：宛城区2024年GDP是多少？",
        "zh-hant": "你好！我回答關於已收錄的地方政府報告的問題，並給出答案所依據的原句。"
        "直接發問即可，例如：宛城區2024年GDP是多少？",
        "en": "Hello! I answer questions about the ingested local-government reports and "
        "quote the sentence each answer comes from. Just ask, e.g. "
        "What was Wancheng District's GDP in 2024?",
    },
    "help_title": {"zh-hans": "命令", "zh-hant": "命令", "en": "Commands"},
    "help_footer": {
        "zh-hans": "任何文字都会被当作问题；追问（如“那黔江区呢？”）会参考上一轮对话。"
        "管理员可以直接发送报告文件（.txt .md .html .docx .pdf .jsonl，20 MB 以内）来收录。",
        "zh-hant": "任何文字都會被當作問題；追問（如「那黔江區呢？」）會參考上一輪對話。"
        "管理員可以直接發送報告文件（.txt .md .html .docx .pdf .jsonl，20 MB 以內）來收錄。",
        "en": 'Any text is a question; follow-ups ("What about Qianjiang?") use the previous '
        "turn. Admins can send a report file (.txt .md .html .docx .pdf .jsonl, up to 20 MB) "
        "to have it ingested.",
    },
    "cmd_start": {"zh-hans": "开始", "zh-hant": "開始", "en": "start"},
    "cmd_help": {"zh-hans": "帮助", "zh-hant": "幫助", "en": "help"},
    "cmd_ask": {"zh-hans": "提问", "zh-hant": "提問", "en": "ask a question"},
    "cmd_officials": {
        "zh-hans": "官员及职务（可加地区）",
        "zh-hant": "官員及職務（可加地區）",
        "en": "officials and titles (optional region)",
    },
    "cmd_meetings": {
        "zh-hans": "会议：日期、地点、主持人",
        "zh-hant": "會議：日期、地點、主持人",
        "en": "meetings: date, place, chair",
    },
    "cmd_figures": {
        "zh-hans": "数据（可加地区、年份；compare 指标：目标与完成）",
        "zh-hant": "數據（可加地區、年份；compare 指標：目標與完成）",
        "en": "figures (optional region, year; compare METRIC: targets vs results)",
    },
    "cmd_brief": {
        "zh-hans": "会议简报（报告文件名或会议名）",
        "zh-hant": "會議簡報（報告文件名或會議名）",
        "en": "meeting brief (report file or meeting name)",
    },
    "brief_usage": {
        "zh-hans": "用法：/brief 报告文件名或会议名，例如 /brief 宛城区三级干部会议",
        "zh-hant": "用法：/brief 報告文件名或會議名，例如 /brief 宛城區三級幹部會議",
        "en": "Usage: /brief REPORT-FILE or MEETING, e.g. /brief 宛城区三级干部会议",
    },
    "cmd_stats": {"zh-hans": "收录情况", "zh-hant": "收錄情況", "en": "what is indexed"},
    "cmd_sources": {
        "zh-hans": "上一个答案的来源",
        "zh-hant": "上一個答案的來源",
        "en": "sources of the last answer",
    },
    "cmd_reset": {"zh-hans": "忘记对话", "zh-hant": "忘記對話", "en": "forget the conversation"},
    "ask_usage": {
        "zh-hans": "用法：/ask 问题，例如 /ask 嘉定区委书记是谁？",
        "zh-hant": "用法：/ask 問題，例如 /ask 嘉定區委書記是誰？",
        "en": "Usage: /ask QUESTION, e.g. /ask Who is the Party Secretary of Jiading District?",
    },
    "understood_as": {
        "zh-hans": "理解为：{question}",
        "zh-hant": "理解為：{question}",
        "en": "Understood as: {question}",
    },
    "empty_store": {
        "zh-hans": "还没有收录任何报告。管理员可以把报告文件直接发给我。",
        "zh-hant": "還沒有收錄任何報告。管理員可以把報告文件直接發給我。",
        "en": "No reports have been ingested yet. An admin can send me a report file.",
    },
    "sources_title": {"zh-hans": "来源", "zh-hant": "來源", "en": "Sources"},
    "no_sources": {
        "zh-hans": "这个答案没有引用来源。",
        "zh-hant": "這個答案沒有引用來源。",
        "en": "This answer cites no sources.",
    },
    "no_answer_yet": {
        "zh-hans": "还没有可以显示来源的答案，请先提问。",
        "zh-hant": "還沒有可以顯示來源的答案，請先提問。",
        "en": "There is no answer to show sources for yet: ask a question first.",
    },
    "sources_expired": {
        "zh-hans": "这个答案已经太旧，来源不再保存。",
        "zh-hant": "這個答案已經太舊，來源不再保存。",
        "en": "That answer is too old; its sources are no longer kept.",
    },
    "reset_done": {
        "zh-hans": "好的，已忘记之前的对话。",
        "zh-hant": "好的，已忘記之前的對話。",
        "en": "Done: the conversation so far is forgotten.",
    },
    "nothing_found": {
        "zh-hans": "没有找到符合条件的记录。",
        "zh-hant": "沒有找到符合條件的記錄。",
        "en": "Nothing found.",
    },
    "officials_title": {"zh-hans": "官员", "zh-hant": "官員", "en": "Officials"},
    "meetings_title": {"zh-hans": "会议", "zh-hant": "會議", "en": "Meetings"},
    "figures_title": {"zh-hans": "数据", "zh-hant": "數據", "en": "Figures"},
    "targets_title": {
        "zh-hans": "目标与完成",
        "zh-hant": "目標與完成",
        "en": "Targets and results",
    },
    "stats_title": {"zh-hans": "收录情况", "zh-hant": "收錄情況", "en": "Index"},
    "stats_line": {
        "zh-hans": "报告 {documents} 篇，文本块 {chunks} 个；"
        "官员 {officials} 条，会议 {meetings} 条，数据 {figures} 条；"
        "转载组 {republished_groups} 个（{reports_in_groups} 篇）。",
        "zh-hant": "報告 {documents} 篇，文本塊 {chunks} 個；"
        "官員 {officials} 條，會議 {meetings} 條，數據 {figures} 條；"
        "轉載組 {republished_groups} 個（{reports_in_groups} 篇）。",
        "en": "{documents} reports, {chunks} chunks; {officials} officials, {meetings} meetings, "
        "{figures} figures; {republished_groups} groups of republished copies "
        "({reports_in_groups} reports).",
    },
    "chair": {"zh-hans": "主持", "zh-hant": "主持", "en": "chair"},
    "speakers": {"zh-hans": "讲话", "zh-hant": "講話", "en": "speakers"},
    "attendees": {"zh-hans": "出席", "zh-hant": "出席", "en": "attending"},
    "rate_limited": {
        "zh-hans": "您提问得有点快，请稍等一会儿再问。"
        "（每个聊天每分钟最多 {limit} 个问题，这期间发来的问题不会回答。）",
        "zh-hant": "您提問得有點快，請稍等一會兒再問。"
        "（每個聊天每分鐘最多 {limit} 個問題，這期間發來的問題不會回答。）",
        "en": "That is a lot of questions at once: please wait a moment before asking again. "
        "(Each chat may ask {limit} a minute; questions sent meanwhile are not answered.)",
    },
    "error": {
        "zh-hans": "出错了，请稍后再试。",
        "zh-hant": "出錯了，請稍後再試。",
        "en": "Something went wrong, please try again later.",
    },
    "not_allowed": {
        "zh-hans": "抱歉，这个机器人只为授权的聊天提供服务。",
        "zh-hant": "抱歉，這個機器人只為授權的聊天提供服務。",
        "en": "Sorry, this bot only serves authorised chats.",
    },
    "upload_not_admin": {
        "zh-hans": "抱歉，只有管理员可以上传报告。可以直接向我提问。",
        "zh-hant": "抱歉，只有管理員可以上傳報告。可以直接向我提問。",
        "en": "Sorry, only admins can upload reports. You are welcome to ask questions.",
    },
    "upload_bad_type": {
        "zh-hans": "不支持这种文件：{name}。支持 {types}。",
        "zh-hant": "不支援這種文件：{name}。支援 {types}。",
        "en": "This kind of file is not supported: {name}. Supported: {types}.",
    },
    "upload_too_big": {
        "zh-hans": "文件太大：{name}（{size} MB），上限 {limit} MB。",
        "zh-hant": "文件太大：{name}（{size} MB），上限 {limit} MB。",
        "en": "The file is too big: {name} ({size} MB); the limit is {limit} MB.",
    },
    "upload_downloading": {
        "zh-hans": "收到 {name}，正在下载…",
        "zh-hant": "收到 {name}，正在下載…",
        "en": "Received {name}, downloading…",
    },
    "upload_ocr_page": {
        "zh-hans": "正在识别 {name} 第 {page} 页（OCR）…",
        "zh-hant": "正在識別 {name} 第 {page} 頁（OCR）…",
        "en": "Reading {name} page {page} by OCR…",
    },
    "upload_warning_line": {
        "zh-hans": "  注意：{warning}",
        "zh-hant": "  注意：{warning}",
        "en": "  note: {warning}",
    },
    "upload_ingesting": {
        "zh-hans": "正在收录 {name}…（已处理 {done} 篇）",
        "zh-hant": "正在收錄 {name}…（已處理 {done} 篇）",
        "en": "Ingesting {name}… ({done} documents processed)",
    },
    "upload_waiting": {
        "zh-hans": "正在等待另一个收录任务完成…",
        "zh-hant": "正在等待另一個收錄任務完成…",
        "en": "Waiting for another ingest to finish…",
    },
    "upload_done": {
        "zh-hans": "收录完成：{name}\n新增 {added}，更新 {updated}，"
        "未变 {unchanged}，失败 {failed}；用时 {seconds} 秒。",
        "zh-hant": "收錄完成：{name}\n新增 {added}，更新 {updated}，"
        "未變 {unchanged}，失敗 {failed}；用時 {seconds} 秒。",
        "en": "Ingested {name}\nadded {added}, updated {updated}, unchanged {unchanged}, "
        "failed {failed}; {seconds} s.",
    },
    "upload_failed_line": {
        "zh-hans": "失败：{path}：{error}",
        "zh-hant": "失敗：{path}：{error}",
        "en": "failed: {path}: {error}",
    },
    "upload_timeout": {
        "zh-hans": "收录 {name} 超过了 {seconds} 秒的时限，已经放弃，没有保存其中任何内容。",
        "zh-hant": "收錄 {name} 超過了 {seconds} 秒的時限，已經放棄，沒有保存其中任何內容。",
        "en": "Ingesting {name} took longer than the {seconds} s allowed and was stopped; "
        "nothing of it was stored.",
    },
    "upload_stopped": {
        "zh-hans": "机器人正在关闭：{name} 没有收录，请稍后重新发送。",
        "zh-hant": "機器人正在關閉：{name} 沒有收錄，請稍後重新發送。",
        "en": "The bot is shutting down: {name} was not ingested; please send it again later.",
    },
    "upload_failed": {
        "zh-hans": "收录 {name} 时出错，没有保存其中任何内容。",
        "zh-hant": "收錄 {name} 時出錯，沒有保存其中任何內容。",
        "en": "Ingesting {name} failed; nothing of it was stored.",
    },
    "upload_download_failed": {
        "zh-hans": "无法下载 {name}，请稍后再试。",
        "zh-hant": "無法下載 {name}，請稍後再試。",
        "en": "Could not download {name}, please try again later.",
    },
}


def text(key: str, script: Script, **values: object) -> str:
    """The message ``key`` in ``script``, with ``{placeholders}`` filled in (plain text)."""
    template = _MESSAGES[key][script]
    return template.format(**values) if values else template


def script_of_language(language_code: str | None) -> Script:
    """The script for a Telegram user's interface language: zh-TW/HK/MO → traditional."""
    code = (language_code or "").lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hant" if any(t in code for t in ("hant", "tw", "hk", "mo")) else "zh-hans"
    if code and not code.startswith("zh"):
        return "en"
    return "zh-hans"


def script_for(update: object, sample: str | None = None) -> Script:
    """The script to reply in: the script of ``sample`` (a question, a region) when it has
    words, else the user's Telegram language, else simplified Chinese."""
    if sample and any(ch.isalpha() for ch in sample):
        return detect_script(sample)
    user = update.effective_user if isinstance(update, Update) else None
    return script_of_language(user.language_code if user else None)
