-- OUT004 fixture records, loaded into a temporary store by tests/balance/test_rule_fixtures.py
insert into publications (post_id, channel, published_at, url, source, recorded_at) values ('mon-1', 'instagram', '2027-01-04T03:02:00Z', null, 'cli', '2027-01-04T03:02:00Z');
insert into publications (post_id, channel, published_at, url, source, recorded_at) values ('thu-1', 'instagram', '2027-01-07T03:01:00Z', null, 'cli', '2027-01-07T03:01:00Z');
insert into publications (post_id, channel, published_at, url, source, recorded_at) values ('mon-2', 'instagram', '2027-01-11T03:00:00Z', null, 'cli', '2027-01-11T03:00:00Z');
insert into channel_metrics (channel, day, metric, value, source, recorded_at) values ('instagram', '2027-01-04', 'followers', 1000, 'cli', '2027-01-04T09:00:00Z');
