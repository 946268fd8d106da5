"""The post editor: a modal form with inline validation.

Dismissed with the post's plan-file values (``at`` a naive local datetime, ``tags`` a list,
empty optional fields as None so the writer removes them), or None when cancelled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, TextArea

from planner.model import STATUSES, Plan, Post

TIME_FORMAT = "%Y-%m-%d %H:%M"


class PostEditor(ModalScreen[dict[str, Any] | None]):
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "save", "Save")]
    # Compact fields (one line each) so that the whole form, its Save and Cancel buttons
    # included, fits in 80x24; the buttons sit under the scrolling fields, always in sight.
    DEFAULT_CSS = """
    PostEditor { align: center middle; }
    PostEditor > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    PostEditor VerticalScroll { height: auto; max-height: 1fr; }
    PostEditor .title { text-style: bold; }
    PostEditor .row { height: auto; margin-bottom: 1; }
    PostEditor .row > Vertical { height: auto; width: 1fr; margin-right: 1; }
    PostEditor .error { color: $error; height: auto; }
    PostEditor .buttons { height: auto; margin-top: 1; dock: bottom; }
    PostEditor Button { margin-right: 2; }
    """

    def __init__(
        self,
        plan: Plan,
        post: Post | None = None,
        *,
        day_time: datetime | None = None,
        channel: str | None = None,
        open_slot: Callable[[str], datetime | None] | None = None,
    ) -> None:
        """``open_slot(channel)``: a new post's time follows the chosen channel's first open slot."""
        super().__init__()
        self.plan, self.post, self.open_slot = plan, post, open_slot
        self.start_time = post.at.replace(tzinfo=None) if post else day_time
        self.start_channel = post.channel if post else channel
        self.channel_owner = self._owner_of(self.start_channel)  # a new post's owner follows its channel's

    def _owner_of(self, channel: str | None) -> str:
        return (self.plan.channels[channel].owner or "") if channel in self.plan.channels else ""

    def compose(self) -> ComposeResult:
        plan, post = self.plan, self.post
        kinds = list(plan.kinds.values())
        default_kind = post.kind if post else next((kind.name for kind in kinds if kind.useful), kinds[0].name if kinds else Select.NULL)
        def field(value: str, name: str) -> Input:
            # tabbing in puts the cursor at the end: typing adds to the text rather than wiping it
            return Input(value, id=name, compact=True, select_on_focus=False)

        with Vertical():
            yield Label("Edit post" if post else "New post", classes="title")
            with VerticalScroll():
                with Horizontal(classes="row"):
                    with Vertical():
                        yield Label("Channel")
                        yield Select([(c.label, name) for name, c in plan.channels.items()], value=self.start_channel or Select.NULL, id="channel", allow_blank=not self.start_channel, compact=True)
                    with Vertical():
                        yield Label("Kind")
                        yield Select([(k.label, k.name) for k in kinds], value=default_kind, id="kind", compact=True)
                    with Vertical():
                        yield Label("Status")
                        yield Select([(status, status) for status in STATUSES], value=post.status if post else "idea", id="status", allow_blank=False, compact=True)
                with Horizontal(classes="row"):
                    with Vertical():
                        yield Label("Time (YYYY-MM-DD HH:MM, local)")
                        yield field(f"{self.start_time:{TIME_FORMAT}}" if self.start_time else "", "at")
                    with Vertical():
                        yield Label("Owner")
                        yield field(post.owner or "" if post else self.channel_owner, "owner")
                with Vertical(classes="row"):
                    yield Label("Title")
                    yield field(post.title if post else "", "title")
                yield Label("Body (several lines; enter starts a new one)")
                yield TextArea(post.body if post else "", id="body", compact=True, soft_wrap=True, show_line_numbers=False)
                with Horizontal(classes="row"):
                    with Vertical():
                        yield Label("Link")
                        yield field(post.link or "" if post else "", "link")
                    with Vertical():
                        yield Label("Tags (comma-separated)")
                        yield field(", ".join(post.tags) if post else "", "tags")
                with Horizontal(classes="row"):
                    with Vertical():
                        yield Label("Approved by (comma-separated)")
                        yield field(", ".join(post.approved_by) if post else "", "approved_by")
                    with Vertical():
                        yield Label("Audience")
                        audiences = [(name, name) for name in plan.audiences]
                        current = post.audience if post and post.audience in plan.audiences else Select.NULL
                        yield Select(audiences, value=current, id="audience", compact=True, disabled=not audiences, prompt="none" if audiences else "none in [plan] audiences")
            yield Label("", id="errors", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        self.opened_with = self.values()[0]  # escape asks before it throws away anything typed since

    def values(self) -> tuple[dict[str, Any], list[str]]:
        """The form's values and what is wrong with them."""
        problems = []
        channel = self.query_one("#channel", Select).value
        kind = self.query_one("#kind", Select).value
        if channel is Select.NULL:
            problems.append("choose a channel")
        if kind is Select.NULL:
            problems.append("choose a kind")
        at_text = self.query_one("#at", Input).value.strip()
        try:
            at = datetime.strptime(at_text, TIME_FORMAT)
        except ValueError:
            at = None
            problems.append(f"time {at_text!r} is not YYYY-MM-DD HH:MM")
        title = self.query_one("#title", Input).value.strip()
        if not title:
            problems.append("a title is needed")
        owner = self.query_one("#owner", Input).value.strip()
        if owner and self.plan.team and owner not in self.plan.team:
            problems.append(f"owner {owner!r} is not in [team] ({', '.join(sorted(self.plan.team))})")
        link = self.query_one("#link", Input).value.strip()
        if link and not link.startswith(("http://", "https://")):
            problems.append("a link starts with http:// or https://")
        tags = _listed(self.query_one("#tags", Input).value)
        approved_by = _listed(self.query_one("#approved_by", Input).value)
        if self.plan.team and (strangers := [name for name in approved_by if name not in self.plan.team]):
            problems.append(f"approved by {', '.join(map(repr, strangers))}: not in [team] ({', '.join(sorted(self.plan.team))})")
        audience = self.query_one("#audience", Select).value
        values = {
            "channel": channel,
            "kind": kind,
            "at": at,
            "title": title,
            "body": self.query_one("#body", TextArea).text.strip() or None,
            "status": self.query_one("#status", Select).value,
            "owner": owner or None,
            "link": link or None,
            "tags": tags or None,
            "approved_by": approved_by or None,
            "audience": None if audience is Select.NULL else audience,
        }
        return values, problems

    def on_select_changed(self, event: Select.Changed) -> None:
        """A new post's time and owner follow the channel chosen: its next open slot, its owner
        (unless the owner was typed)."""
        if event.select.id != "channel" or self.post is not None or event.value is Select.NULL:
            return
        slot = self.open_slot(event.value) if self.open_slot else None
        if slot is not None:
            self.query_one("#at", Input).value = f"{slot:{TIME_FORMAT}}"
        owner = self.query_one("#owner", Input)
        if owner.value == self.channel_owner:
            owner.value = self.channel_owner = self._owner_of(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say what is wrong as the user types, not before (a new post starts without a title)."""
        if event.input.has_focus:
            self.show_problems()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.has_focus:
            self.show_problems()

    def show_problems(self) -> list[str]:
        """Show what is wrong, and what the channel's network would refuse (PUB009, PUB010: shown,
        but a draft may be saved over a limit); return what keeps the form from saving."""
        values, problems = self.values()
        self.query_one("#errors", Label).update(Text("\n".join(problems + self.over_network_limits(values))))
        return problems

    def over_network_limits(self, values: dict[str, Any]) -> list[str]:
        from types import SimpleNamespace

        from planner.networks import length_excess, limits_of, tag_excess

        limits = limits_of(self.plan, values["channel"]) if values["channel"] is not Select.NULL else None
        if limits is None:
            return []
        draft = SimpleNamespace(title=values["title"], body=values["body"] or "", link=values["link"])
        found = [("PUB009", item) for item in length_excess(draft, limits)] + [("PUB010", item) for item in tag_excess(draft, limits)]
        return [f"{code} {item.describe(limits)}" for code, item in found]

    def action_save(self) -> None:
        if not self.show_problems():
            self.dismiss(self.values()[0])

    def action_cancel(self) -> None:
        if self.values()[0] == self.opened_with:
            self.dismiss(None)
            return
        from calendar_tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Throw away what you typed in this post?", "Throw away", "Keep editing"), answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


def _listed(text: str) -> list[str]:
    """A comma-separated field's entries, trimmed, empty ones dropped."""
    return [entry.strip() for entry in text.split(",") if entry.strip()]
