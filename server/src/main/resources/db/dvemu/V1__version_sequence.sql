-- One global sequence behind every row's versionnumber: ETags change on every write and are unique across tables,
-- like Dataverse's organization-wide rowversion (dataverse-web-api.md section 1).
CREATE SEQUENCE dvemu_versionnumber_seq START WITH 1000000;
