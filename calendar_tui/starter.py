"""The commented starter plan that ``cadence init`` writes: two weeks that pass their own check."""

from __future__ import annotations

from datetime import date, timedelta

TEMPLATE = '''\
# A content plan for content-cadence. Check it with:  cadence check {path}
# Every local time below is in [plan] timezone. Unknown keys are errors, so typos are caught;
# put your own data in a table named x (x = {{ ... }} in a post or a channel, or [x]).

[plan]
name = "My content plan"
timezone = "{timezone}"  # an IANA zone name
# the horizon that `cadence check` covers
start = {start}
end = {end}
objective = "What this plan is for, in one sentence"
audiences = ["customers"]

[[goal]]                         # measurable targets (PLN001)
metric = "followers"             # followers, reach, engagement_rate, clicks, sales...
channel = "instagram"
target = 1000
by = {end}

[review]
cadence = "0 16 * * FRI"         # when the team looks at the results (PLN002)

# Content pillars. The flags drive the mix rules (MIX001-MIX004).
[kinds.tip]
label = "Useful tip"
useful = true

[kinds.question]
label = "Question / poll"
conversation = true

[kinds.promo]
label = "Promotion"
promotional = true
needs_approval = ["lead"]        # PUB002: someone with this role approves (approved_by)
needs_link = true                # PUB004

[channels.instagram]
label = "Instagram"
cadence = ["0 10 * * MON,WED,FRI"]   # cron, in the plan's zone: each occurrence needs a post (CAD001)
tolerance = "3h"                     # a post this close to a slot fills it
max_per_day = 2                      # CAD002
max_silence = "3d"                   # CAD003
# min_spacing = "1h"                 # CAD005
owner = "me"                         # PUB003: a dedicated person per account
# network = "instagram"              # PUB009, PUB010: its limits; the name says it here (twitter is x)

# [networks.x]                       # a network's limits for this plan, over the built-in ones
# max_chars = 25000                  # X Premium

[balance]
# preset = "80-20"                        # or "4-1-1", "thirds": the limits of a known practice
# The defaults below apply to any limit left unset (a preset's, else these); each key is a
# kind or a flag (useful, promotional, conversation). Uncomment to change them.
# window = "14d"                          # rolling window for the mix rules
# min_posts = 5                           # a share is judged from this many posts in a window
# max_share = {{ promotional = 0.25 }}      # MIX001: sell in at most a quarter of posts
# min_share = {{ useful = 0.4 }}            # MIX002: most posts give something useful
# max_streak = {{ promotional = 2 }}        # MIX003: never three promotions in a row
# min_count = {{ conversation = 2 }}        # MIX004: a question or poll a week

[voice]
banned = []                      # PUB005: words you never use, e.g. ["cheapest", "competitor-x"]

[team.me]
roles = ["social", "lead"]

[rules]
# ignore = ["CAD004"]                     # rules or prefixes to skip
# severity = {{ MIX001 = "error" }}         # error, warning, info or off
# due_soon = "3d"                         # PUB001
# repeat_window = "14d"                   # PUB007

{posts}
# Evergreen ideas: the backup that fills a gap (PLN003, `cadence suggest`).
[[backlog]]
id = "bk-behind-the-scenes"
kind = "tip"
title = "A day behind the scenes"
cooldown = "30d"

[[backlog]]
id = "bk-ask-favourite"
kind = "question"
title = "Ask followers for their favourite product"
cooldown = "30d"
'''

_POSTS = [
    ("tip", "How to get the most out of our product"),
    ("question", "What should we write about next?"),
    ("tip", "Three mistakes beginners make"),
    ("tip", "A checklist to save for later"),
    ("question", "Poll: morning or evening?"),
    ("tip", "Our favourite tool this month"),
]


def starter_plan(today: date, path: str = "content-plan.toml", timezone: str = "UTC") -> str:
    """Two weeks from the Monday after next week starts, one post on each slot."""
    start = today + timedelta(days=7 + (7 - today.weekday()) % 7)
    end = start + timedelta(days=13)
    slots = [start + timedelta(days=week * 7 + weekday) for week in (0, 1) for weekday in (0, 2, 4)]
    posts = "\n".join(
        f'[[post]]\nid = "post-{day:%m%d}"\nat = {day}T10:00:00\nchannel = "instagram"\nkind = "{kind}"\n'
        f'title = "{title}"\nstatus = "idea"               # idea, draft, review, approved, scheduled, published, skipped\n'
        for day, (kind, title) in zip(slots, _POSTS)
    )
    return TEMPLATE.format(path=path, timezone=timezone, start=start, end=end, posts=posts)
