# Masalah pada data masukan: di mana (catatan, id, kolom), apa yang salah, dan kodenya.
# Kalimat `problem-<kode>` yang belum diterjemahkan ditampilkan dengan kalimat mesin (`detail`).

problem-at-record = { $record }
problem-at-record-field = { $record }, kolom `{ $field }`
problem-at-record-id = { $record } `{ $id }`
problem-at-record-id-field = { $record } `{ $id }`, kolom `{ $field }`
problem-line = { $place }: { $what } [{ $code }]
problem-unknown-reference = merujuk ke catatan yang tidak ada: { $detail }
problem-duplicate-id = id ganda: { $detail }
