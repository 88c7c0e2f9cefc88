-- Whoever holds a subscription's delivery lease, so only the holder renews or releases it.
alter table webhook_subscriptions add column lease_token text;
