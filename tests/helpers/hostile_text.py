"""Text a user might type that would do harm if any page treated it as markup: Markdown, HTML tags,
character entities, a word too long for its column, right-to-left script, and all of them at once."""

NOTE = "Done.\n\n[portal](https://example.org) ![x](/logout)\n\n# Heading one\n\n- a list item"
MARKUP = '<img src=x onerror="window.__xss=1"><h1>Big</h1><a href="/logout">out</a> Review'
ENTITIES = "Fees &amp; charges &lt;b&gt; &#169; <b>bold</b>"
LONG_WORD = "Supercalifragilistic" * 12
RTL = "مراجعة الخدمة الاجتماعية للبالغين"
HOSTILE = f"{NOTE}\n{MARKUP}\n{ENTITIES}\n{LONG_WORD}\n{RTL}"
