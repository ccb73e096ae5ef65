-- The network interfaces of an instance as its compute agent built them (Nova's network
-- info cache), for the server's `addresses`: [{port_id, network_id, network_name,
-- mac_address, ips: [{address, version, type}]}].
ALTER TABLE instances ADD COLUMN vifs jsonb NOT NULL DEFAULT '[]';
