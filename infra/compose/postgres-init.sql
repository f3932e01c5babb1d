-- Runs once, when the postgres container initialises an empty data volume
-- (docker-compose.yml mounts it into /docker-entrypoint-initdb.d). One database per service;
-- each service's migrate step also creates its database if missing.
CREATE DATABASE cit_intake;
CREATE DATABASE cit_triage;
CREATE DATABASE cit_referral;
CREATE DATABASE cit_conference;
CREATE DATABASE cit_followup;

-- The runtime roles, with their passwords from the environment: postgres-init-roles.sh.
