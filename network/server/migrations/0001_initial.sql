-- gureum-network: networks, subnets, ports with their IP allocations, security groups,
-- routers, floating IPs, quotas and the network agents.
-- List-valued attributes the server never queries by element (tags, DNS servers, host
-- routes, allocation pools, allowed address pairs) are JSON arrays in text columns.

CREATE SEQUENCE state_generation;

CREATE TABLE networks (
  id text PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  project_id text NOT NULL,
  admin_state_up boolean NOT NULL DEFAULT true,
  shared boolean NOT NULL DEFAULT false,
  router_external boolean NOT NULL DEFAULT false,
  mtu integer NOT NULL,
  port_security_enabled boolean NOT NULL DEFAULT true,
  network_type text NOT NULL CHECK (network_type IN ('vxlan', 'flat', 'vlan')),
  physical_network text NOT NULL DEFAULT '',
  segmentation_id integer NOT NULL DEFAULT 0,
  description text NOT NULL DEFAULT '',
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision_number bigint NOT NULL DEFAULT 1
);
CREATE INDEX networks_project ON networks (project_id);
-- One VXLAN VNI / one VLAN id per physical network / one flat network per physical network.
CREATE UNIQUE INDEX networks_vni ON networks (segmentation_id) WHERE network_type = 'vxlan';
CREATE UNIQUE INDEX networks_vlan ON networks (physical_network, segmentation_id) WHERE network_type = 'vlan';
CREATE UNIQUE INDEX networks_flat ON networks (physical_network) WHERE network_type = 'flat';

CREATE TABLE subnets (
  id text PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  project_id text NOT NULL,
  network_id text NOT NULL REFERENCES networks (id),
  ip_version integer NOT NULL CHECK (ip_version IN (4, 6)),
  cidr text NOT NULL,
  gateway_ip text NOT NULL DEFAULT '',
  allocation_pools text NOT NULL DEFAULT '[]',
  enable_dhcp boolean NOT NULL DEFAULT true,
  dns_nameservers text NOT NULL DEFAULT '[]',
  host_routes text NOT NULL DEFAULT '[]',
  ipv6_ra_mode text NOT NULL DEFAULT '',
  ipv6_address_mode text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision_number bigint NOT NULL DEFAULT 1
);
CREATE INDEX subnets_network ON subnets (network_id);

CREATE TABLE ports (
  id text PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  project_id text NOT NULL,
  network_id text NOT NULL REFERENCES networks (id),
  mac_address text NOT NULL,
  device_id text NOT NULL DEFAULT '',
  device_owner text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'DOWN',
  admin_state_up boolean NOT NULL DEFAULT true,
  port_security_enabled boolean NOT NULL DEFAULT true,
  allowed_address_pairs text NOT NULL DEFAULT '[]',
  binding_host text NOT NULL DEFAULT '',
  vif_type text NOT NULL DEFAULT 'unbound',
  description text NOT NULL DEFAULT '',
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision_number bigint NOT NULL DEFAULT 1,
  UNIQUE (network_id, mac_address)
);
CREATE INDEX ports_project ON ports (project_id);
CREATE INDEX ports_network ON ports (network_id);
CREATE INDEX ports_device ON ports (device_id);
CREATE INDEX ports_host ON ports (binding_host);

-- The IPAM: the primary key is what makes two ports never get one address.
CREATE TABLE ip_allocations (
  subnet_id text NOT NULL REFERENCES subnets (id),
  ip_address text NOT NULL,
  port_id text NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
  network_id text NOT NULL,
  PRIMARY KEY (subnet_id, ip_address)
);
CREATE INDEX ip_allocations_port ON ip_allocations (port_id);

CREATE TABLE security_groups (
  id text PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  project_id text NOT NULL,
  description text NOT NULL DEFAULT '',
  stateful boolean NOT NULL DEFAULT true,
  is_default boolean NOT NULL DEFAULT false,
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision_number bigint NOT NULL DEFAULT 1
);
CREATE INDEX security_groups_project ON security_groups (project_id);
CREATE UNIQUE INDEX security_groups_default ON security_groups (project_id) WHERE is_default;

CREATE TABLE security_group_rules (
  id text PRIMARY KEY,
  security_group_id text NOT NULL REFERENCES security_groups (id) ON DELETE CASCADE,
  project_id text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('ingress', 'egress')),
  ethertype text NOT NULL CHECK (ethertype IN ('IPv4', 'IPv6')),
  protocol text NOT NULL DEFAULT '',
  port_range_min integer NOT NULL DEFAULT -1,
  port_range_max integer NOT NULL DEFAULT -1,
  remote_ip_prefix text NOT NULL DEFAULT '',
  remote_group_id text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision_number bigint NOT NULL DEFAULT 1,
  UNIQUE (security_group_id, direction, ethertype, protocol, port_range_min, port_range_max,
          remote_ip_prefix, remote_group_id)
);
CREATE INDEX security_group_rules_remote ON security_group_rules (remote_group_id);

CREATE TABLE port_security_groups (
  port_id text NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
  security_group_id text NOT NULL REFERENCES security_groups (id),
  PRIMARY KEY (port_id, security_group_id)
);
CREATE INDEX port_security_groups_group ON port_security_groups (security_group_id);

CREATE TABLE routers (
  id text PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  project_id text NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE',
  admin_state_up boolean NOT NULL DEFAULT true,
  gw_network_id text REFERENCES networks (id),
  enable_snat boolean NOT NULL DEFAULT true,
  routes text NOT NULL DEFAULT '[]',
  host text NOT NULL DEFAULT '',   -- the l3 agent that runs it
  description text NOT NULL DEFAULT '',
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision_number bigint NOT NULL DEFAULT 1
);
CREATE INDEX routers_project ON routers (project_id);

CREATE TABLE floatingips (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  floating_network_id text NOT NULL REFERENCES networks (id),
  floating_ip_address text NOT NULL,
  floating_port_id text NOT NULL REFERENCES ports (id),
  port_id text REFERENCES ports (id),
  fixed_ip_address text,
  router_id text REFERENCES routers (id),
  status text NOT NULL DEFAULT 'DOWN',
  description text NOT NULL DEFAULT '',
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision_number bigint NOT NULL DEFAULT 1
);
CREATE INDEX floatingips_project ON floatingips (project_id);
CREATE UNIQUE INDEX floatingips_fixed ON floatingips (port_id, fixed_ip_address) WHERE port_id IS NOT NULL;

CREATE TABLE dhcp_bindings (
  network_id text PRIMARY KEY REFERENCES networks (id) ON DELETE CASCADE,
  host text NOT NULL
);

CREATE TABLE agents (
  id text PRIMARY KEY,
  host text NOT NULL UNIQUE,
  local_ip text NOT NULL DEFAULT '',
  physical_interfaces text NOT NULL DEFAULT '{}',
  dhcp boolean NOT NULL DEFAULT false,
  l3 boolean NOT NULL DEFAULT false,
  admin_state_up boolean NOT NULL DEFAULT true,
  version text NOT NULL DEFAULT '',
  heartbeat_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE quotas (
  project_id text NOT NULL,
  resource text NOT NULL,
  hard_limit integer NOT NULL,
  PRIMARY KEY (project_id, resource)
);
