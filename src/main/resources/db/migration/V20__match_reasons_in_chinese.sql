-- Why a matching result came out as it did, in Chinese too (the enterprise mentor, the coordinator and the student read
-- it in their own language; reason stays the English one). Results written before this have only the English reason.
alter table mf_matching_result add column reason_zh varchar(2000);
