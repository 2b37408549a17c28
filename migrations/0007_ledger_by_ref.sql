-- Ledger entries by what caused them (the payment, reversal or correction in ref_id), so
-- `griddesk check` finds a payment's entries by lookup instead of reading the whole ledger once
-- per payment (issue 15: 754 s for 25,342 payments). Covering: the check reads no table rows.
-- Partial: bill charges have no ref_id and are most of the ledger.
CREATE INDEX ledger_ref ON ledger_entries (ref_id, entry_type, amount_fen) WHERE ref_id IS NOT NULL;
