# Nama kode mesin dalam bahasa Indonesia: `code-<kode>` dengan `.` dan `_` ditulis `-`.

## Jenis catatan (record)

code-record-employee = pegawai
code-record-position = jabatan
code-record-unit = unit kerja
code-record-activity = kegiatan
code-record-extra-task = tugas tambahan
code-record-absence = ketidakhadiran
code-record-roll-call = apel
code-record-ceremony = upacara
code-record-month = bulan
code-record-recap = rekap
code-record-request = permintaan
code-record-dataset = dataset
code-record-policy = kebijakan
code-record-calendar = kalender
code-record-officer = petugas
code-record-official = pejabat
code-record-delegation = pelimpahan wewenang
code-record-clock-device = mesin absensi
code-record-input = data masukan
code-record-generator = pembangkit data
code-record-abk-params = parameter ABK
code-record-assignment = penugasan
code-record-task = tugas
code-record-clock = absensi
code-record-sanction = hukuman disiplin
code-record-salary = gaji
code-record-work-site = lokasi kerja
code-record-shift-pattern = pola dinas
code-record-roster = jadwal dinas

## Jenis ketidakhadiran

code-absence-unexcused = tanpa keterangan
code-absence-permit = izin
code-absence-sick = sakit
code-absence-sick-with-note = sakit dengan surat dokter
code-absence-leave-annual = cuti tahunan
code-absence-leave-long = cuti besar
code-absence-leave-sick = cuti sakit
code-absence-leave-maternity = cuti melahirkan
code-absence-leave-important-reason = cuti karena alasan penting
code-absence-leave-collective = cuti bersama
code-absence-leave-unpaid = cuti di luar tanggungan negara
code-absence-official-travel = dinas luar
code-absence-off-site-half-day = dinas luar setengah hari

## Status dan tindakan verifikasi

code-status-submitted = diajukan
code-status-approved = disetujui
code-status-rejected = ditolak
code-status-returned = dikembalikan
code-action-approve = setujui
code-action-reject = tolak
code-action-return = kembalikan
code-action-resubmit = ajukan ulang
code-action-edit = ubah

## Peran petugas

code-role-hr = kepegawaian (BKPSDM)
code-role-attendance = absensi unit
code-role-finance = anggaran dan perencanaan (BPKD/Bappeda)
code-role-award-panel = tim penilai penghargaan

## Kerusakan rantai jurnal

code-chain-edited = catatan diubah
code-chain-removed = catatan dihapus
code-chain-inserted = catatan disisipkan
code-chain-duplicated = catatan digandakan
code-chain-reordered = urutan catatan diubah
code-chain-broken = rantai terputus
code-chain-head-mismatch = kepala rantai tidak cocok

## Dasar potongan dan batas bawah pada slip

code-base-discipline-part = bagian disiplin
code-base-whole = seluruh tunjangan
code-base-earned = tunjangan yang diperoleh

## Kriteria TPP dan bagian TPP

code-rule-part = Bagian TPP
code-rule-deduction-converted = Hitungan dikonversi ke hari
code-rule-deduction-forfeit = Bagian hangus
code-criterion-beban-kerja = beban kerja
code-criterion-tempat-bertugas = tempat bertugas
code-criterion-kondisi-kerja = kondisi kerja
code-criterion-kelangkaan-profesi = kelangkaan profesi
code-criterion-prestasi-kerja = prestasi kerja
code-criterion-pertimbangan-objektif = pertimbangan objektif lainnya
code-measure-activity = diperoleh menurut menit aktivitas terverifikasi
code-measure-full = dibayar penuh dikurangi potongannya

## Baris slip TPP (aturan)

code-rule-ceiling = Pagu TPP
code-rule-proration = Prorata
code-rule-cpns = CPNS
code-rule-performance-shortfall = Kekurangan kinerja
code-rule-deduction-late-1 = Terlambat TL1
code-rule-deduction-late-2 = Terlambat TL2
code-rule-deduction-late-3 = Terlambat TL3
code-rule-deduction-late-4 = Terlambat TL4
code-rule-deduction-early-1 = Pulang sebelum waktunya PSW1
code-rule-deduction-early-2 = Pulang sebelum waktunya PSW2
code-rule-deduction-early-3 = Pulang sebelum waktunya PSW3
code-rule-deduction-early-4 = Pulang sebelum waktunya PSW4
code-rule-deduction-unexcused = Tanpa keterangan (TK)
code-rule-deduction-roll-call = Tidak ikut apel
code-rule-deduction-ceremony = Tidak ikut upacara
code-rule-deduction-absence-unexcused = Ketidakhadiran: tanpa keterangan
code-rule-deduction-absence-permit = Ketidakhadiran: izin
code-rule-deduction-absence-sick = Ketidakhadiran: sakit
code-rule-deduction-absence-sick-with-note = Ketidakhadiran: sakit dengan surat dokter
code-rule-deduction-absence-leave-annual = Ketidakhadiran: cuti tahunan
code-rule-deduction-absence-leave-long = Ketidakhadiran: cuti besar
code-rule-deduction-absence-leave-sick = Ketidakhadiran: cuti sakit
code-rule-deduction-absence-leave-maternity = Ketidakhadiran: cuti melahirkan
code-rule-deduction-absence-leave-important-reason = Ketidakhadiran: cuti karena alasan penting
code-rule-deduction-absence-leave-collective = Ketidakhadiran: cuti bersama
code-rule-deduction-absence-leave-unpaid = Ketidakhadiran: cuti di luar tanggungan negara
code-rule-deduction-absence-official-travel = Ketidakhadiran: dinas luar
code-rule-deduction-absence-off-site-half-day = Ketidakhadiran: dinas luar setengah hari
code-rule-deduction-floor = Batas bawah potongan
code-rule-gate = Syarat kehadiran
code-rule-sanction = Hukuman disiplin
code-rule-acting = Pelaksana tugas (Plt)
code-acting-plt = Plt
code-acting-plh = Plh
code-acting-higher = lebih tinggi
code-acting-equal = setingkat
code-acting-lower = lebih rendah
code-rule-tax-pph21 = PPh 21
code-rule-contribution-bpjs = Iuran BPJS Kesehatan

## Ruang sosial

code-record-ad = iklan
code-record-conversation = percakapan
code-record-message = pesan
code-record-report = laporan
code-ad-active = aktif
code-ad-reserved = dipesan
code-ad-sold = terjual
code-ad-withdrawn = ditarik
code-ad-removed = dihapus moderator
code-ad-expired = kedaluwarsa
