# Problems in input data: where (record, id, field), what is wrong, and its code, as the
# problem's own sentence (`detail`).

problem-at-record = { $record }
problem-at-record-field = { $record }.{ $field }
problem-at-record-id = { $record } `{ $id }`
problem-at-record-id-field = { $record } `{ $id }`, field `{ $field }`
problem-line = { $place }: { $what } [{ $code }]
problem-unknown-reference = { $detail }
problem-duplicate-id = { $detail }
