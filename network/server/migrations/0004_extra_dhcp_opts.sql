-- Neutron's extra_dhcp_opts of a port: a JSON list of {"opt_name", "opt_value",
-- "ip_version"}, the options dnsmasq gives that port (issue 21).
ALTER TABLE ports ADD COLUMN extra_dhcp_opts text NOT NULL DEFAULT '[]';
