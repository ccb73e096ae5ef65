-- A server's access addresses (Nova's accessIPv4 / accessIPv6): addresses the user says the
-- server is reached at (a NAT or load balancer in front of it), given at create, update or
-- rebuild and shown as given.
ALTER TABLE instances ADD COLUMN access_ip_v4 text;
ALTER TABLE instances ADD COLUMN access_ip_v6 text;
