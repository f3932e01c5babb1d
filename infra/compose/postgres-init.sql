-- Runs once, when the postgres container initialises an empty data volume
-- (docker-compose.yml mounts it into /docker-entrypoint-initdb.d). One database per service;
-- each service's migrate step also creates its database if missing.
CREATE DATABASE cit_intake;
CREATE DATABASE cit_triage;
CREATE DATABASE cit_referral;
CREATE DATABASE cit_conference;
CREATE DATABASE cit_followup;

-- One runtime role per service: it logs in, owns nothing, is no superuser and cannot bypass
-- row-level security. Migrations run as postgres (the owner) and grant these roles DML on
-- their service's tables after every migration run. DEVELOPMENT-ONLY passwords.
CREATE ROLE cit_intake LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'cit_intake';
CREATE ROLE cit_triage LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'cit_triage';
CREATE ROLE cit_referral LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'cit_referral';
CREATE ROLE cit_conference LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'cit_conference';
CREATE ROLE cit_followup LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'cit_followup';
