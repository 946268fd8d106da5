"""Reading analytics CSVs: layouts told by their headers, rows matched to posts, bad rows located."""

from __future__ import annotations

from datetime import date, datetime, timezone

from planner.csvfile import read_records
from planner.loader import plan_from_text
from planner.metrics_import import BUFFER, GENERIC, META_FACEBOOK, detect, read_metrics_csv
from planner.outcomes import Publication
from tests.conftest import plan_text, post_toml

PLAN = plan_from_text(
    plan_text(
        '[channels.instagram]\ntolerance = "1h"\n\n[channels.facebook]\n\n'
        + post_toml("ig-mon", "2027-01-04T10:00:00")
        + post_toml("ig-mon-late", "2027-01-04T11:30:00")
        + post_toml("fb-tue", "2027-01-05T13:00:00", channel="facebook")
    ),
    "plan.toml",
)
MEASURED = date(2027, 2, 1)


def read(text: str, **options):
    return read_metrics_csv(read_records(text), PLAN, {}, MEASURED, **options)


def test_layouts_are_told_by_their_columns():
    assert detect(["date", "text", "serviceLink", "impressions"]) is BUFFER
    assert detect(["Post ID", "Page ID", "Page name", "Title", "Publish time", "Permalink", "Reactions"]) is META_FACEBOOK
    assert detect(["post_id", "likes"]) is GENERIC


def test_time_matches_the_nearest_post_within_the_channel_tolerance():
    result = read("channel,published_at,likes\ninstagram,2027-01-04T10:40,5\ninstagram,2027-01-04T11:10,6\ninstagram,2027-01-04T12:45,7\n")
    assert [(row["post_id"], row["line"]) for row in result.post_rows] == [("ig-mon", 2), ("ig-mon-late", 3)]
    assert [(problem.line, problem.message) for problem in result.unmatched] == [
        (4, "no post on instagram within its tolerance of Mon 2027-01-04 12:45")
    ]
    assert result.publications[0]["published_at"] == "2027-01-04T03:40:00Z"  # 10:40 in Jakarta


def test_the_facebook_export_names_its_channel_and_reactions_are_likes():
    header = "Post ID,Page ID,Page name,Title,Description,Publish time,Permalink,Post type,Reactions,Comments,Shares,Views,Reach,Total clicks\n"
    result = read(header + "123_456,123,Maple,Hello,,01/05/2027 13:20,https://facebook.com/123/posts/456,Photo,40,3,2,900,700,12\n")
    [row] = result.post_rows
    assert (row["post_id"], row["likes"], row["clicks"], row["impressions"], row["day"], row["source"]) == ("fb-tue", 40, 12, 900, "2027-02-01", "meta")


def test_an_address_matches_a_logged_publication():
    logged = {"fb-tue": Publication("fb-tue", "facebook", datetime(2027, 1, 5, 6, tzinfo=timezone.utc), "https://facebook.com/123/posts/456")}
    result = read_metrics_csv(read_records("url,likes\nhttps://FACEBOOK.com/123/posts/456/,9\n"), PLAN, logged, MEASURED)
    assert [row["post_id"] for row in result.post_rows] == ["fb-tue"]


def test_bad_rows_are_rejected_with_their_lines_and_reasons():
    result = read(
        "post_id,day,likes,channel,metric,value\n"
        "ig-mon,2027-01-10,many,,,\n"
        ",,4,,,\n"
        "ig-mon,2027-01-10,5,,,\n"
        "ig-mon,2027-01-10,6,,,\n"
        ",2027-01-10,,instagam,followers,100\n"
        ",2027-03-10,,instagram,followers,100\n"
        ",2027-01-10,,instagram,followers,-1\n"
        "ig-mon,Jan 10,5,,,\n"
        "ig-mon,2027-01-11,-0.5,,,\n"
    )
    assert [(problem.line, problem.message) for problem in result.rejected] == [
        (2, "likes 'many' is not a number"),
        (3, "the row names no post: it needs a post_id, a time, or an address"),
        (5, "is about ig-mon on 2027-01-10, as line 4 is; keep one"),
        (6, "unknown channel 'instagam'; did you mean 'instagram'?"),
        (7, "2027-03-10 is outside the plan (2027-01-04 to 2027-01-31), where nothing reads it; --extend widens the plan to hold it"),
        (8, "followers is negative (-1)"),
        (9, "day 'Jan 10' is not a date such as 2027-01-19, 19/01/2027 or 1/19/2027"),
        (10, "likes '-0.5' is not a whole number"),
    ]
    assert [row["line"] for row in result.post_rows] == [4]
