-- Which of an instance's NICs a compute-owned port is (AllocatePortRequest.nic_index), so
-- a server with two NICs on one network gets two ports and a retried allocation finds
-- its own. Ports allocated before this column are NIC 0, as they were looked up.
ALTER TABLE ports ADD COLUMN compute_nic_index integer NOT NULL DEFAULT 0;
