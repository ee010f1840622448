-- Who did it, for an audit event: its own column instead of the text before ': ' in the
-- message. Audit events recorded before this version get their actor from that text once.
ALTER TABLE events ADD COLUMN actor TEXT;
UPDATE events SET actor = substr(message, 1, strpos(message, ': ') - 1)
  WHERE kind = 'audit' AND strpos(message, ': ') > 1;
