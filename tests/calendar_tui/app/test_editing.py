"""Editing with keys alone: new, edit, delete, move, fill from the backlog, undo and redo."""

from datetime import date, datetime

from textual.widgets import Input, OptionList, Select, TextArea

from calendar_tui.screens.backlog_picker import BacklogPicker
from calendar_tui.screens.confirm import ConfirmScreen
from calendar_tui.screens.post_editor import PostEditor
from tests.calendar_tui.app.conftest import settled


async def goto(pilot, day: str) -> None:
    await pilot.press("g")
    pilot.app.screen.query_one(Input).value = day
    await pilot.press("enter")


async def test_a_new_post_defaults_to_the_days_first_open_slot_and_is_added(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)  # the open slots come with the first check
        await goto(pilot, "2027-04-01")  # LinkedIn's Thursday slot is empty
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert editor.query_one("#at", Input).value == "2027-04-01 09:00"
        assert editor.query_one("#channel", Select).value == "linkedin"
        editor.query_one("#title", Input).value = "Leading indicators, explained"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert not isinstance(app.screen, PostEditor)
        post = app.calendar.selected_item()
        assert post.id == "li-20270401-leading-indicators-explained"
        assert post.at == datetime(2027, 4, 1, 9, 0, tzinfo=post.at.tzinfo) and post.status == "idea"
        assert not any(d.code == "CAD001" and d.channel == "linkedin" for d in app.session.diagnostics)
        assert app.session.dirty and app.title.endswith("●")


async def test_a_new_post_defaults_to_the_days_channel_its_next_free_slot_and_its_owner(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await goto(pilot, "2027-04-02")  # only X's Friday slot is open that day
        await pilot.press("n")
        editor = app.screen
        channel, at, owner = (editor.query_one(f"#{name}", widget) for name, widget in (("channel", Select), ("at", Input), ("owner", Input)))
        assert (channel.value, at.value, owner.value) == ("x", "2027-04-02 12:30", "mia")
        channel.value = "linkedin"  # its next open slot is behind this day: the time stays
        await pilot.pause()
        assert (at.value, owner.value) == ("2027-04-02 12:30", "jonas")
        owner.value = "mia"  # typed: a change of channel keeps it
        channel.value = "x"
        await pilot.pause()
        assert owner.value == "mia"
        await pilot.press("escape", "y")
        await goto(pilot, "2027-03-30")  # no open slot that day: the channel's next one
        await pilot.press("n")
        editor = app.screen
        assert editor.query_one("#channel", Select).value == "linkedin"
        assert editor.query_one("#at", Input).value == "2027-04-01 09:00"


async def test_the_editor_validates_inline_and_keeps_the_form_open(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        editor = app.screen
        assert editor.query_one("#kind", Select).value == "tip"  # a useful kind by default
        editor.query_one("#kind", Select).clear()
        editor.query_one("#at", Input).value = "tomorrow"
        editor.query_one("#owner", Input).value = "nobody"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PostEditor)
        errors = str(editor.query_one("#errors").render())
        assert "choose a kind" in errors and "not YYYY-MM-DD HH:MM" in errors and "a title is needed" in errors
        assert "owner 'nobody' is not in [team]" in errors
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)  # what was typed is not thrown away unasked
        await pilot.press("y")
        assert not isinstance(app.screen, (ConfirmScreen, PostEditor))
        assert not app.session.dirty


async def test_escape_keeps_what_was_typed_unless_told_to_throw_it_away(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "escape")  # nothing typed: closes at once
        assert not isinstance(app.screen, PostEditor)
        await pilot.press("n", *"Hello", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, PostEditor) and app.screen.query_one("#title", Input).value == "Hello"


async def test_edit_the_selected_post(app):
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.calendar.selected_item().id == "x-small-multiples-beat-one-busy"
        await pilot.press("e")
        editor = app.screen
        editor.query_one("#title", Input).value = "Small multiples, explained"
        editor.query_one("#status", Select).value = "approved"
        await pilot.press("ctrl+s")
        post = app.session.post("x-small-multiples-beat-one-busy")
        assert (post.title, post.status) == ("Small multiples, explained", "approved")


async def test_delete_asks_first(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.session.post("x-small-multiples-beat-one-busy") is not None
        await pilot.press("d", "y")
        await settled(pilot)
        assert app.session.post("x-small-multiples-beat-one-busy") is None
        assert any(d.code == "CAD001" and d.date == date(2027, 3, 22) for d in app.session.diagnostics)


async def test_move_a_post_with_shift_and_arrows(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right")
        post = app.session.post("x-small-multiples-beat-one-busy")
        assert post.day == date(2027, 3, 23) and app.calendar.cursor == date(2027, 3, 23)
        assert app.calendar.selected_item().id == post.id
        await pilot.press("shift+down")
        assert app.session.post(post.id).at.hour == 13


async def test_fill_an_empty_slot_from_the_backlog(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)  # the open slots come with the first check
        await goto(pilot, "2027-04-01")
        assert any(d.code == "CAD001" and d.date == date(2027, 4, 1) for d in app.session.diagnostics)
        await pilot.press("f")
        picker = app.screen
        assert isinstance(picker, BacklogPicker)
        ideas = picker.query_one(OptionList)
        # the question first: LinkedIn has no conversation post in that window (MIX004)
        assert [ideas.get_option_at_index(n).id for n in range(ideas.option_count)] == ["bk-ask-forecast", "bk-kpi-glossary"]
        await pilot.press("enter")
        await settled(pilot)
        assert not any(d.code == "CAD001" and d.date == date(2027, 4, 1) for d in app.session.diagnostics)
        filled = app.calendar.selected_item()
        assert filled.idea == "bk-ask-forecast" and filled.channel == "linkedin" and filled.at.hour == 9


async def test_undo_and_redo_every_edit(app):
    async with app.run_test(size=(120, 36)) as pilot:
        original = app.session.text
        await pilot.press("shift+right", "d", "y")
        await pilot.press("u")
        assert app.session.post("x-small-multiples-beat-one-busy").day == date(2027, 3, 23)
        await pilot.press("ctrl+z")
        assert app.session.text == original and not app.session.dirty
        await pilot.press("ctrl+r", "ctrl+y")
        assert app.session.post("x-small-multiples-beat-one-busy") is None


async def test_the_new_posts_time_follows_the_chosen_channels_open_slot(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)  # the open slots come with the first check
        await goto(pilot, "2027-04-02")  # Good Friday: X's 12:30 slot is open, LinkedIn has none
        await pilot.press("n")
        editor = app.screen
        editor.query_one("#channel", Select).value = "x"
        await pilot.pause()
        assert editor.query_one("#at", Input).value == "2027-04-02 12:30"


async def test_enter_on_an_empty_slot_starts_its_post(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)  # the open slots come with the first check
        await goto(pilot, "2027-04-02")
        await pilot.press("tab")  # the X slot, after the skipped post
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert editor.query_one("#channel", Select).value == "x"
        assert editor.query_one("#at", Input).value == "2027-04-02 12:30"


async def test_typing_in_a_field_adds_to_its_text_rather_than_replacing_it(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("shift+tab", "tab")  # leave the title and come back to it
        await pilot.press(*" v2")
        assert app.screen.query_one("#title", Input).value == "Small multiples beat one busy chart v2"


async def test_approvals_and_audience_are_edited_in_the_form_so_pub002_can_be_fixed_there(app, plan_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert any(d.code == "PUB002" and d.post_ids == ("x-launch-recap",) for d in app.session.diagnostics)
        await goto(pilot, "2027-03-24")
        while app.calendar.selected_item().id != "x-launch-recap":
            await pilot.press("tab")
        await pilot.press("e")
        editor = app.screen
        editor.query_one("#approved_by", Input).value = "lea, nobody"
        await pilot.press("ctrl+s")
        assert "approved by 'nobody': not in [team]" in str(editor.query_one("#errors").render())
        editor.query_one("#approved_by", Input).value = "lea"
        editor.query_one("#audience", Select).value = "ops-leads"
        await pilot.press("ctrl+s")
        await settled(pilot)
        post = app.session.post("x-launch-recap")
        assert (post.approved_by, post.audience) == (("lea",), "ops-leads")
        assert not any(d.code == "PUB002" and d.post_ids == ("x-launch-recap",) for d in app.session.diagnostics)
        await pilot.press("ctrl+s")
    saved = plan_path.read_text()
    assert 'approved_by = ["lea"]' in saved and 'audience = "ops-leads"' in saved


async def test_the_editor_says_as_you_type_what_the_channels_network_would_refuse(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        editor = app.screen
        editor.query_one("#channel", Select).value = "x"
        title = editor.query_one("#title", Input)
        title.focus()
        await pilot.press(*"Kopi")
        assert str(editor.query_one("#errors").render()) == ""
        body = editor.query_one("#body", TextArea)
        body.focus()
        body.insert("Ngopi bareng 👩🏽‍🍳🇮🇩 " * 14)  # 20 code points a time, 18 as X counts: 252
        await pilot.pause()
        assert str(editor.query_one("#errors").render()) == ""
        await pilot.press(*"lagi dong, kawan-kawan!!!!!!")  # 28 more: 280, the most X takes
        assert str(editor.query_one("#errors").render()) == ""
        await pilot.press("exclamation_mark")
        assert str(editor.query_one("#errors").render()) == "PUB009 281 characters, counted as x counts; x takes at most 280"
        await pilot.press("ctrl+s")  # a draft may be saved over the limit: cadence check and the export hold it back
        assert not isinstance(app.screen, PostEditor)
        saved = next(post for post in app.session.plan.posts if post.title == "Kopi")
        assert (saved.channel, saved.body[-18:]) == ("x", "kawan-kawan!!!!!!!")
