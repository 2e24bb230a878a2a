"""Every visible string of the app, in Bahasa Indonesia (default) and English.

Domain words stay Indonesian in both languages: SKPD, NIP, predikat, tindak lanjut, the
rating words of PermenPANRB 6/2022 (di atas / sesuai / di bawah ekspektasi) and "sementara"
for provisional months. Look a string up with `t(key, **values)`; a missing key raises, so a
typo cannot ship as a blank label.
"""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"
LANG_KEY = "lang"

TEXT: dict[str, dict[str, str]] = {
    # --- shell -----------------------------------------------------------------------
    "app.title": {
        "id": "rapor: rapor kinerja penanganan pengaduan",
        "en": "rapor: complaint-handling scorecards",
    },
    "lang.label": {"id": "Bahasa / Language", "en": "Bahasa / Language"},
    "page.overview": {"id": "Ikhtisar", "en": "Overview"},
    "page.officers": {"id": "Pegawai", "en": "Officers"},
    "page.profile": {"id": "Profil pegawai", "en": "Officer profile"},
    "page.case": {"id": "Kasus", "en": "Case"},
    "page.definitions": {"id": "Definisi metrik", "en": "Metric definitions"},
    "snapshot.heading": {"id": "Snapshot terbit", "en": "Published snapshot"},
    "snapshot.tenant": {"id": "Pemda", "en": "Local government"},
    "snapshot.as_of": {"id": "Data per", "en": "Data as of"},
    "snapshot.published": {"id": "Diterbitkan", "en": "Published"},
    "snapshot.policy": {"id": "Kebijakan", "en": "Policy"},
    "snapshot.code": {"id": "Versi kode", "en": "Code version"},
    "snapshot.timezone": {"id": "Zona waktu", "en": "Time zone"},
    "missing.title": {"id": "Belum ada data yang diterbitkan", "en": "No published data yet"},
    "missing.unreadable_title": {
        "id": "Snapshot yang diterbitkan tidak dapat dibaca",
        "en": "The published snapshot cannot be read",
    },
    "missing.no_home": {
        "id": "Folder home rapor belum ditentukan: variabel lingkungan `RAPOR_HOME` kosong.",
        "en": "No rapor home folder: the environment variable `RAPOR_HOME` is not set.",
    },
    "missing.no_file": {
        "id": "Tidak ada snapshot terbit di `{path}`.",
        "en": "There is no published snapshot at `{path}`.",
    },
    "missing.unreadable": {
        "id": "Snapshot di `{path}` tidak dapat dibaca: {error}",
        "en": "The snapshot at `{path}` cannot be read: {error}",
    },
    "missing.howto": {
        "id": "Jalankan pipeline lebih dulu, lalu muat ulang halaman ini:\n\n"
        "```\nrapor run --home {home}\n```\n"
        "atau, untuk kota demo: `rapor demo --home {home}`. "
        "Aplikasi dibuka dengan `rapor app --home {home}`.",
        "en": "Run the pipeline first, then reload this page:\n\n"
        "```\nrapor run --home {home}\n```\n"
        "or, for a demo city: `rapor demo --home {home}`. "
        "Serve the app with `rapor app --home {home}`.",
    },
    "error.data": {
        "id": "Data snapshot tidak dapat dibaca untuk halaman ini: {error}",
        "en": "The snapshot data for this page cannot be read: {error}",
    },
    # --- shared ----------------------------------------------------------------------
    "month.label": {"id": "Bulan", "en": "Month"},
    "month.provisional": {"id": "sementara", "en": "sementara (provisional)"},
    "month.provisional_note": {
        "id": "Bulan {month} masih **sementara**: angkanya masih dapat berubah (pembukaan "
        "kembali atau penilaian yang terlambat) dan tidak boleh dipakai untuk sanksi.",
        "en": "{month} is still **sementara** (provisional): its numbers can still change "
        "(late reopenings or ratings) and must not be used for a sanction.",
    },
    "no_months": {
        "id": "Snapshot ini belum berisi bulan apa pun.",
        "en": "This snapshot holds no months yet.",
    },
    "rating.di_atas_ekspektasi": {"id": "Di atas ekspektasi", "en": "Di atas ekspektasi"},
    "rating.sesuai_ekspektasi": {"id": "Sesuai ekspektasi", "en": "Sesuai ekspektasi"},
    "rating.di_bawah_ekspektasi": {"id": "Di bawah ekspektasi", "en": "Di bawah ekspektasi"},
    "rating.data_tidak_cukup": {"id": "Data tidak cukup", "en": "Data tidak cukup"},
    "insufficient": {"id": "data tidak cukup", "en": "data tidak cukup (too little data)"},
    "yes": {"id": "ya", "en": "yes"},
    "no": {"id": "tidak", "en": "no"},
    "unknown": {"id": "(tidak diketahui)", "en": "(unknown)"},
    "unit.pp": {"id": "poin", "en": "pp"},
    "wd": {"id": "hari kerja", "en": "working days"},
    "interval": {"id": "IK 95 %", "en": "95 % CI"},
    "wd.short": {"id": "HK", "en": "wd"},
    "def.link": {"id": "Definisi", "en": "Definition"},
    "def.links": {"id": "Definisi: {links}", "en": "Definitions: {links}"},
    "policy_min_assumed": {
        "id": "Snapshot tidak memuat parameter kebijakan; batas minimum {n} tenggat dinilai "
        "diambil dari nilai bawaan.",
        "en": "The snapshot does not carry the policy parameters; the minimum of {n} judged "
        "deadlines is the default value.",
    },
    # --- overview --------------------------------------------------------------------
    "ov.title": {"id": "Ikhtisar pimpinan", "en": "Leadership overview"},
    "ov.caption": {
        "id": "Kinerja penanganan pengaduan per SKPD untuk {tenant}, bulan {month}.",
        "en": "Complaint handling per SKPD in {tenant}, month {month}.",
    },
    "ov.received": {"id": "Diterima SKPD", "en": "Received by SKPD"},
    "ov.received_help": {
        "id": "Penyerahan kasus kepada SKPD pada bulan ini: setiap disposisi atau "
        "pengalihan dihitung satu kali (kasus yang dialihkan dihitung lagi untuk pemegang "
        "barunya). Bukan banyaknya pengaduan baru.",
        "en": "Cases handed to an SKPD this month: every forward or reassignment counts once "
        "(a reassigned case counts again for its new holder). Not the number of new "
        "complaints.",
    },
    "ov.resolved": {"id": "Diselesaikan", "en": "Resolved"},
    "ov.resolved_help": {
        "id": "Kasus yang penyelesaian finalnya jatuh pada bulan ini.",
        "en": "Cases whose final resolution happened in this month.",
    },
    "ov.compliance": {"id": "Penyelesaian tepat waktu", "en": "Resolved on time"},
    "ov.compliance_help": {
        "id": "Penyelesaian tepat waktu: tenggat penyelesaian yang jatuh pada bulan ini dan "
        "terpenuhi, dari {due} tenggat yang dinilai; interval kepercayaan Wilson 95 %: "
        "{low}–{high}.",
        "en": "Resolved on time: resolution deadlines falling due this month that were "
        "met, out of {due} judged deadlines; 95 % Wilson interval: {low}–{high}.",
    },
    "ov.median": {"id": "Median HK selesai", "en": "Median wd to resolve"},
    "ov.median_help": {
        "id": "Median hari kerja (HK) dari penerimaan sampai penyelesaian, atas kasus yang "
        "diselesaikan bulan ini (hari penerimaan tidak dihitung).",
        "en": "Median working days from receipt to resolution over cases resolved this "
        "month (the day of receipt does not count).",
    },
    "ov.backlog": {"id": "Tunggakan", "en": "Backlog"},
    "ov.backlog_help": {
        "id": "Tunggakan akhir bulan: kasus yang masih terbuka pada akhir bulan (untuk bulan "
        "tanggal data: pada akhir tanggal data); {overdue} di antaranya sudah melewati "
        "tanggal jatuh tempo penyelesaian.",
        "en": "Backlog at month end: cases still open at the end of the month (for the "
        "as-of month: at the end of the as-of date); {overdue} of them are past their "
        "resolution due date.",
    },
    "ov.forwarding": {"id": "Disposisi tepat waktu", "en": "Forwarded on time"},
    "ov.forwarding_help": {
        "id": "Tenggat disposisi ({n} hari kerja sejak diterima) yang jatuh tempo bulan ini "
        "dan terpenuhi: {met} dari {due}.",
        "en": "Forwarding deadlines ({n} working days from receipt) falling due this month "
        "that were met: {met} of {due}.",
    },
    "ov.response": {"id": "Respons tepat waktu", "en": "Responded on time"},
    "ov.response_help": {
        "id": "Tenggat tanggapan ({n} hari kerja sejak kasus diterima SKPD) yang jatuh tempo "
        "bulan ini dan terpenuhi: {met} dari {due}; IK 95 %: {low}–{high}.",
        "en": "Response deadlines ({n} working days from the hand-over to the SKPD) falling "
        "due this month that were met: {met} of {due}; 95 % CI: {low}–{high}.",
    },
    "ov.satisfaction": {"id": "Kepuasan warga", "en": "Citizen satisfaction"},
    "ov.satisfaction_help": {
        "id": "Rata-rata {n} penilaian warga (skala 1–5) yang diberikan bulan ini. {rate} "
        "kasus yang diselesaikan bulan ini dinilai warga dalam {days} hari.",
        "en": "Mean of the {n} citizen ratings (scale 1–5) given this month. {rate} of the "
        "cases resolved this month were rated within {days} days.",
    },
    "ov.ratings": {"id": "{n} penilaian", "en": "{n} ratings"},
    "ov.reopen": {"id": "Dibuka kembali", "en": "Reopened"},
    "ov.reopen_help": {
        "id": "Bagian peristiwa penyelesaian bulan ini yang dibuka kembali dalam {days} hari.",
        "en": "Share of this month's resolution events that were reopened within {days} days.",
    },
    "ov.headline_caption": {
        "id": "Angka seluruh pemda (`tenant_month`), termasuk kasus yang pemegangnya tidak "
        "diketahui.",
        "en": "Tenant-wide numbers (`tenant_month`), including cases whose holder is unknown.",
    },
    "ov.overdue": {"id": "lewat tenggat", "en": "overdue"},
    "ov.vs_previous": {
        "id": "Panah: perubahan dibanding bulan {month}.",
        "en": "Arrows: change from {month}.",
    },
    "ov.ranked": {"id": "diberi peringkat", "en": "ranked"},
    "ov.rank_title": {"id": "Peringkat SKPD", "en": "SKPD ranking"},
    "ov.rank_compliance": {"id": "Penyelesaian tepat waktu", "en": "Resolved on time"},
    "ov.rank_median": {"id": "Median waktu selesai", "en": "Median resolution time"},
    "ov.rank_caption": {
        "id": "Garis galat: interval kepercayaan Wilson 95 %. SKPD dengan kurang dari {n} "
        "tenggat penyelesaian yang dinilai ditampilkan tetapi tidak diberi peringkat "
        "(data tidak cukup).",
        "en": "Error bars: 95 % Wilson interval. SKPD with fewer than {n} judged resolution "
        "deadlines are shown but not ranked (data tidak cukup).",
    },
    "ov.median_caption": {
        "id": "Lebih kecil lebih baik. Garis tipis: persentil ke-90. SKPD yang menyelesaikan "
        "kurang dari {n} kasus bulan ini tidak diberi peringkat.",
        "en": "Lower is better. Thin line: 90th percentile. SKPD that resolved fewer than "
        "{n} cases this month are not ranked.",
    },
    "ov.rank_table": {"id": "Tabel peringkat", "en": "Ranking table"},
    "ov.no_units": {
        "id": "Tidak ada SKPD dengan angka pada bulan {month}.",
        "en": "No SKPD has numbers for {month}.",
    },
    "ov.no_resolved": {
        "id": "Tidak ada kasus yang diselesaikan pada bulan {month}.",
        "en": "No case was resolved in {month}.",
    },
    "ov.trend_title": {"id": "Tren bulanan seluruh pemda", "en": "Tenant-wide monthly trend"},
    "ov.trend_compliance": {
        "id": "Penyelesaian tepat waktu (pita: IK 95 %)",
        "en": "Resolved on time (band: 95 % CI)",
    },
    "ov.trend_median": {
        "id": "Median dan persentil ke-90 waktu selesai (hari kerja)",
        "en": "Median and 90th percentile resolution time (working days)",
    },
    "ov.trend_caption": {
        "id": "Angka seluruh pemda per bulan (`tenant_month`). Titik berongga: bulan sementara.",
        "en": "Tenant-wide numbers per month (`tenant_month`). Hollow points: provisional "
        "(sementara) months.",
    },
    "ov.sources_title": {
        "id": "Asal pengaduan bulan {month}",
        "en": "Where complaints came from in {month}",
    },
    "ov.channels": {"id": "Kanal", "en": "Channel"},
    "ov.channels_caption": {
        "id": "Kasus yang masuk lewat beberapa kanal dihitung di setiap kanal ({n} kasus "
        "seperti itu bulan ini).",
        "en": "A case that arrived through several channels counts in each of them ({n} "
        "such cases this month).",
    },
    "ov.districts": {"id": "Kecamatan", "en": "Kecamatan (district)"},
    "ov.districts_caption": {
        "id": "Kasus yang diterima bulan ini per kecamatan, menurut statusnya pada tanggal data.",
        "en": "Cases received this month per kecamatan, by their status on the as-of date.",
    },
    "ov.no_cases": {
        "id": "Tidak ada pengaduan yang diterima pada bulan {month}.",
        "en": "No complaint was received in {month}.",
    },
    "status_group.open": {"id": "masih terbuka", "en": "still open"},
    "status_group.resolved": {"id": "selesai", "en": "resolved"},
    "status_group.closed": {"id": "diarsipkan / ditolak", "en": "archived / rejected"},
    "col.rank": {"id": "Peringkat", "en": "Rank"},
    "col.unit": {"id": "SKPD", "en": "SKPD"},
    "col.unit_code": {"id": "Kode SKPD", "en": "SKPD code"},
    "col.received": {"id": "Diterima", "en": "Received"},
    "col.resolved": {"id": "Diselesaikan", "en": "Resolved"},
    "col.resolution_due": {"id": "Tenggat dinilai", "en": "Judged deadlines"},
    "col.response_due_long": {"id": "Tenggat respons dinilai", "en": "Judged response deadlines"},
    "col.resolution_due_long": {
        "id": "Tenggat penyelesaian dinilai",
        "en": "Judged resolution deadlines",
    },
    "col.resolution_met": {"id": "Tepat waktu", "en": "Met"},
    "col.resolution_rate": {"id": "Penyelesaian tepat waktu", "en": "Resolved on time"},
    "col.forwarding_rate": {"id": "Disposisi tepat waktu", "en": "Forwarded on time"},
    "col.forwarding_due": {"id": "Tenggat disposisi dinilai", "en": "Judged forwarding deadlines"},
    "col.cases": {"id": "Kasus", "en": "Cases"},
    "col.source": {"id": "Asal (sumber/berkas:baris)", "en": "Origin (source/file:row)"},
    "col.source_id": {"id": "ID di sumber", "en": "Source id"},
    "col.response_rate": {"id": "Respons tepat waktu", "en": "Responded on time"},
    "col.interval": {"id": "IK 95 %", "en": "95 % CI"},
    "col.median_wd": {"id": "Median HK", "en": "Median wd"},
    "col.p90_wd": {"id": "P90 HK", "en": "P90 wd"},
    "col.backlog": {"id": "Tunggakan", "en": "Backlog"},
    "col.overdue": {"id": "Lewat tenggat", "en": "Overdue"},
    "col.status": {"id": "Keterangan", "en": "Note"},
    "col.count": {"id": "Jumlah kasus", "en": "Cases"},
    "col.month": {"id": "Bulan", "en": "Month"},
    "col.nip": {"id": "NIP", "en": "NIP"},
    "col.name": {"id": "Nama", "en": "Name"},
    "col.satisfaction": {"id": "Kepuasan (disusutkan)", "en": "Satisfaction (shrunk)"},
    "col.ratings_n": {"id": "Jumlah penilaian", "en": "Ratings"},
    "col.score": {"id": "Skor", "en": "Score"},
    "col.rating": {"id": "Hasil kerja", "en": "Hasil kerja (work result)"},
    "col.provisional": {"id": "Sementara", "en": "Sementara"},
    "col.oe_ratio": {"id": "Rasio aktual/harapan", "en": "Observed/expected"},
    "col.case_id": {"id": "ID kasus", "en": "Case id"},
    "col.received_at": {"id": "Diterima pada", "en": "Received at"},
    "col.category": {"id": "Kategori", "en": "Category"},
    "col.class": {"id": "Jenis", "en": "Class"},
    "col.case_status": {"id": "Status", "en": "Status"},
    "col.resolution_wd": {"id": "HK penyelesaian", "en": "Resolution wd"},
    "col.resolution_due_wd": {"id": "Batas HK", "en": "Allowed wd"},
    "col.case_met": {"id": "Tepat waktu", "en": "On time"},
    "col.title": {"id": "Judul", "en": "Title"},
    "col.flags": {"id": "Sifat", "en": "Flags"},
    "col.facts": {"id": "Dihitung sebagai", "en": "Counts as"},
    "col.district": {"id": "Kecamatan", "en": "Kecamatan"},
    "col.channels": {"id": "Kanal", "en": "Channels"},
    "col.event_at": {"id": "Waktu", "en": "Time"},
    "col.event_type": {"id": "Peristiwa", "en": "Event"},
    "col.officer": {"id": "Pegawai (NIP)", "en": "Officer (NIP)"},
    "col.note": {"id": "Catatan / tindak lanjut", "en": "Note / tindak lanjut"},
    "col.position": {"id": "Jabatan", "en": "Position"},
    "col.grade": {"id": "Golongan", "en": "Grade"},
    "col.valid_from": {"id": "Berlaku dari", "en": "Valid from"},
    "col.valid_to": {"id": "Berlaku sampai", "en": "Valid to"},
    # --- exports (app/exports.py, rapor export, docs/export.md) --------------------------
    "exp.title": {
        "id": "Laporan Bulanan Penanganan Pengaduan",
        "en": "Monthly Complaint-Handling Report",
    },
    "exp.download_xlsx": {"id": "Unduh Excel", "en": "Download Excel"},
    "exp.download_pdf": {"id": "Unduh laporan PDF", "en": "Download PDF report"},
    "exp.download_help": {
        "id": "Data bulan {month} sesuai hak akses Anda, dengan versi kebijakan dan hash snapshot.",
        "en": "The data of {month} as you may see it, with the policy version and snapshot hash.",
    },
    "exp.scope": {"id": "Cakupan", "en": "Scope"},
    "exp.scope_all": {"id": "seluruh SKPD", "en": "every SKPD"},
    "exp.scope_units": {"id": "SKPD {units} saja", "en": "SKPD {units} only"},
    "exp.tenant_code": {"id": "Kode pemda", "en": "Tenant code"},
    "exp.yes": {"id": "ya", "en": "yes"},
    "exp.no": {"id": "tidak", "en": "no"},
    "exp.run_id": {"id": "Run pipeline", "en": "Pipeline run"},
    "exp.policy_hash": {"id": "Hash kebijakan (sha256)", "en": "Policy hash (sha256)"},
    "exp.snapshot_hash": {"id": "Hash snapshot (sha256)", "en": "Snapshot hash (sha256)"},
    "exp.hash_source": {"id": "Asal hash snapshot", "en": "Snapshot hash from"},
    "exp.hash_source.publications": {
        "id": "tabel publications (publikasi terbaru bulan ini)",
        "en": "publications table (the month's newest publication)",
    },
    "exp.hash_source.computed": {
        "id": "dihitung: sha256 isi unit_month dan officer_month bulan ini",
        "en": "computed: sha256 of the month's unit_month and officer_month rows",
    },
    "exp.hash_computed": {"id": "isi bulan", "en": "month content"},
    "exp.min_judged": {
        "id": "Minimum tenggat dinilai untuk peringkat",
        "en": "Minimum judged deadlines to be ranked",
    },
    "exp.resolution_low": {"id": "IK 95 % bawah", "en": "95 % CI low"},
    "exp.resolution_high": {"id": "IK 95 % atas", "en": "95 % CI high"},
    "exp.satisfaction_mean": {"id": "Rata-rata kepuasan", "en": "Mean satisfaction"},
    "exp.units_ranked": {"id": "SKPD diberi peringkat", "en": "SKPD ranked"},
    "exp.units_total": {"id": "SKPD dengan data", "en": "SKPD with data"},
    "exp.officers_rated": {"id": "Pegawai dengan predikat", "en": "Officers with a rating"},
    "exp.officers_total": {"id": "Pegawai dengan data", "en": "Officers with data"},
    "exp.cases_rows": {"id": "Kasus di balik bulan ini", "en": "Cases behind the month"},
    "exp.quarantined": {
        "id": "Baris masukan dikarantina (run ini)",
        "en": "Input rows quarantined (this run)",
    },
    "exp.made_on": {"id": "Dibuat tanggal", "en": "Made on"},
    "exp.page": {"id": "Halaman {n}", "en": "Page {n}"},
    "exp.summary": {"id": "Ringkasan", "en": "Summary"},
    "exp.no_totals": {
        "id": "Tidak ada angka untuk bulan ini.",
        "en": "There are no numbers for this month.",
    },
    "exp.summary_text": {
        "id": "Pada bulan ini diterima {received} pengaduan dan {resolved} diselesaikan. "
        "Dari {due} tenggat penyelesaian yang dinilai, {rate} terpenuhi tepat waktu "
        "(IK 95 %: {interval}). Respons tepat waktu {response}; median waktu penyelesaian "
        "{median} hari kerja. Tunggakan akhir bulan {backlog} kasus, {overdue} di antaranya "
        "lewat tenggat. {ranked} dari {units} SKPD diberi peringkat (minimal {min} tenggat "
        "dinilai); {rated} dari {officers} pegawai memperoleh predikat hasil kerja.",
        "en": "This month {received} complaints were received and {resolved} resolved. Of "
        "{due} judged resolution deadlines, {rate} were met on time (95 % CI: {interval}). "
        "Responded on time: {response}; median resolution time {median} working days. "
        "Backlog at month end: {backlog} cases, {overdue} of them overdue. {ranked} of "
        "{units} SKPD are ranked (at least {min} judged deadlines); {rated} of {officers} "
        "officers have a rating.",
    },
    "exp.chart_trend": {
        "id": "Tren penyelesaian tepat waktu (seluruh pemda, IK 95 %)",
        "en": "Resolved on time over the months (whole tenant, 95 % CI)",
    },
    "exp.chart_units": {
        "id": "Penyelesaian tepat waktu per SKPD (IK 95 %; abu-abu: kurang dari {n} tenggat)",
        "en": "Resolved on time per SKPD (95 % CI; grey: fewer than {n} deadlines)",
    },
    "exp.unit_table": {"id": "Peringkat SKPD", "en": "SKPD league table"},
    "exp.none_ranked": {
        "id": "Tidak ada SKPD dengan data cukup untuk diberi peringkat.",
        "en": "No SKPD has enough data to be ranked.",
    },
    "exp.not_ranked": {
        "id": "{n} SKPD lain tidak diberi peringkat (data tidak cukup).",
        "en": "{n} other SKPD are not ranked (too little data).",
    },
    "exp.officer_table": {"id": "Pegawai dengan predikat", "en": "Officers with a rating"},
    "exp.verdicts_caption": {
        "id": "Putusan tepat waktu / terlambat yang dicatat sumber sendiri, dibandingkan "
        "dengan putusan rapor, per unit, atas seluruh bulan snapshot.",
        "en": "The on-time / overdue verdicts a source records itself against rapor's, per "
        "unit, over every month of the snapshot.",
    },
    "exp.verdicts_disagreeing": {
        "id": "{n} kasus berbeda putusan: {ids}",
        "en": "{n} cases disagree: {ids}",
    },
    "exp.none_rated": {
        "id": "Tidak ada pegawai dengan data cukup (minimal {n} tenggat dinilai).",
        "en": "No officer has enough data (at least {n} judged deadlines).",
    },
    "exp.not_rated": {
        "id": "{n} pegawai lain: data tidak cukup untuk predikat.",
        "en": "{n} other officers: too little data for a rating.",
    },
    # --- definitions page -------------------------------------------------------------
    "def.caption": {
        "id": "Setiap angka di aplikasi ini didefinisikan di sini, persis seperti dihitung "
        "pipeline (sumber: `docs/metrics.md`). Nilai yang disebut sebagai bawaan dapat "
        "diubah kebijakan; nilai yang berlaku untuk snapshot ini ada di bawah.",
        "en": "Every number in this app is defined here exactly as the pipeline computes it "
        "(source: `docs/metrics.md`). Values quoted as defaults can be changed by the "
        "policy; the values in force for this snapshot are below.",
    },
    "def.missing": {
        "id": "Dokumen definisi `{path}` tidak ditemukan.",
        "en": "The definitions document `{path}` was not found.",
    },
    "def.policy": {
        "id": "Kebijakan yang berlaku di snapshot ini: versi {version}",
        "en": "Policy in force for this snapshot: version {version}",
    },
    "def.policy_missing": {
        "id": "Snapshot ini tidak memuat kebijakannya (`snapshot_info.policy_json`).",
        "en": "This snapshot does not carry its policy (`snapshot_info.policy_json`).",
    },
    "def.parameter": {"id": "Parameter", "en": "Parameter"},
    "def.value": {"id": "Nilai", "en": "Value"},
    "def.contents": {"id": "Daftar isi", "en": "Contents"},
    # --- officers list ---------------------------------------------------------------
    "off.title": {"id": "Pegawai (ASN)", "en": "Officers (ASN)"},
    "off.caption": {
        "id": "Rapor bulanan setiap pegawai yang memegang pengaduan. Pilih satu baris untuk "
        "membuka profilnya.",
        "en": "Monthly scorecard of every officer who held complaints. Select a row to open "
        "the officer's profile.",
    },
    "off.unit_filter": {"id": "SKPD", "en": "SKPD"},
    "off.unit_help": {
        "id": "Kode SKPD tempat pegawai bertugas pada akhir bulan.",
        "en": "Code of the SKPD the officer was posted to at month end.",
    },
    "off.all_units": {"id": "Semua SKPD", "en": "All SKPD"},
    "off.count": {"id": "{n} pegawai pada bulan {month}.", "en": "{n} officers in {month}."},
    "off.no_officer_records": {
        "id": "Sumber data ini tidak mencatat petugas: tidak ada rapor pegawai. Angka unit "
        "ada di halaman unit dan tabel peringkat.",
        "en": "This data source does not record officers: there are no officer scorecards. "
        "The unit numbers are on the unit pages and the league table.",
    },
    "off.empty": {
        "id": "Tidak ada rapor pegawai untuk pilihan ini ({month}).",
        "en": "No officer scorecards for this choice ({month}).",
    },
    "off.unit_numbers": {"id": "{unit}: angka bulan {month}", "en": "{unit}: {month}"},
    "off.unit_rate_note": {
        "id": "{met} dari {due} tenggat · IK 95 % {interval}",
        "en": "{met} of {due} deadlines · 95 % CI {interval}",
    },
    "off.unit_backlog": {
        "id": "Tunggakan akhir bulan {n}, lewat tenggat {overdue}",
        "en": "Backlog at month end {n}, overdue {overdue}",
    },
    "ov.open_unit": {
        "id": "Pilih baris untuk membuka halaman SKPD itu dan pegawainya.",
        "en": "Select a row to open that unit's page and its officers.",
    },
    "off.open_label": {"id": "Buka profil pegawai", "en": "Open an officer's profile"},
    "off.open_link": {"id": "Profil {name}", "en": "Profile of {name}"},
    "off.rating_help": {
        "id": "Hasil kerja menurut kebijakan (PermenPANRB 6/2022). 'Data tidak cukup' bila "
        "tenggat yang dinilai terlalu sedikit atau intervalnya terlalu lebar.",
        "en": "Hasil kerja (work result) under the policy (PermenPANRB 6/2022). 'Data tidak "
        "cukup' when too few deadlines were judged or the interval is too wide.",
    },
    # --- case page -------------------------------------------------------------------
    "case.title": {"id": "Kasus", "en": "Case"},
    "case.caption": {
        "id": "Satu kasus seperti diperiksa auditor: pengaduan yang digabung, setiap tenggat, "
        "siapa memegangnya kapan, dan linimasa peristiwa dengan baris sumbernya.",
        "en": "One case as an auditor checks it: the merged complaints, every deadline, who "
        "held it when, and the event timeline with each event's source row.",
    },
    "case.choose": {"id": "ID kasus", "en": "Case id"},
    "case.none_chosen": {
        "id": "Ketik ID kasus, atau buka kasus dari daftar kasus di profil pegawai.",
        "en": "Type a case id, or open a case from an officer profile's list of cases.",
    },
    "case.not_found": {"id": "Tidak ada kasus {case}.", "en": "There is no case {case}."},
    "case.not_allowed": {
        "id": "Kasus {case} tidak pernah dipegang unit Anda ({units}).",
        "en": "Case {case} was never held by your unit ({units}).",
    },
    "case.final_holder": {"id": "Pemegang terakhir", "en": "Last holder"},
    "case.credited": {"id": "Dibebani tenggat penyelesaian", "en": "Credited with resolution"},
    "case.resolved_at": {"id": "Selesai pada", "en": "Resolved at"},
    "case.closed_automatically": {"id": "Ditutup otomatis", "en": "Closed automatically"},
    "case.closed_automatically_value": {
        "id": "oleh sistem pada {closed}; penyelesaian pegawai dihitung pada tindak lanjut "
        "terakhir {resolved} (jam penyelesaian berakhir di sana)",
        "en": "by the system at {closed}; the officer's resolution is the last follow-up at "
        "{resolved} (the resolution clock ends there)",
    },
    "case.reopened": {"id": "Dibuka kembali", "en": "Reopened"},
    "case.rating": {"id": "Penilaian warga", "en": "Citizen rating"},
    "case.members": {
        "id": "Pengaduan dalam kasus ini ({n})",
        "en": "Complaints in this case ({n})",
    },
    "case.clocks": {"id": "Tenggat", "en": "Deadlines"},
    "case.clocks_caption": {
        "id": "Setiap jam tenggat: mulai, batas tanggal, berhenti, hari kerja yang diizinkan, "
        "dijeda (klarifikasi) dan terpakai, serta bulan penilaiannya.",
        "en": "Each deadline clock: start, due date, stop, working days allowed, paused "
        "(clarification) and elapsed, and the month it is judged in.",
    },
    "case.segments": {"id": "Pemegang kasus (segmen)", "en": "Holders (segments)"},
    "case.events": {"id": "Linimasa peristiwa ({n})", "en": "Event timeline ({n})"},
    "case.segment.admin": {"id": "admin (verifikasi)", "en": "admin (verification)"},
    "case.segment.holder": {"id": "pemegang", "en": "holder"},
    "case.col.source": {"id": "Sumber", "en": "Source"},
    "case.col.channel": {"id": "Kanal", "en": "Channel"},
    "case.col.primary": {"id": "Utama", "en": "Primary"},
    "case.col.evidence": {"id": "Dasar penggabungan", "en": "Merge evidence"},
    "case.col.clock": {"id": "Tenggat", "en": "Deadline"},
    "case.col.segment": {"id": "Segmen", "en": "Segment"},
    "case.col.kind": {"id": "Jenis segmen", "en": "Segment kind"},
    "case.col.start": {"id": "Mulai", "en": "Start"},
    "case.col.next_start": {"id": "Segmen berikut", "en": "Next segment"},
    "case.col.due": {"id": "Batas tanggal", "en": "Due date"},
    "case.col.end": {"id": "Berhenti", "en": "Stopped"},
    "case.col.allowed_wd": {"id": "HK diizinkan", "en": "Wd allowed"},
    "case.col.paused_wd": {"id": "HK dijeda", "en": "Wd paused"},
    "case.col.elapsed_wd": {"id": "HK terpakai", "en": "Wd elapsed"},
    "case.col.judged": {"id": "Dinilai", "en": "Judged"},
    "case.col.due_month": {"id": "Bulan penilaian", "en": "Judged in"},
    "case.col.response_end": {"id": "Ditanggapi pada", "en": "Responded at"},
    "case.col.ended_by": {"id": "Ditanggapi dengan", "en": "Responded by"},
    "prof.open_case": {
        "id": "Pilih baris untuk membuka halaman kasus.",
        "en": "Select a row to open the case page.",
    },
    # --- officer profile -------------------------------------------------------------
    "prof.title": {"id": "Profil pegawai", "en": "Officer profile"},
    "prof.choose": {"id": "Pegawai (NIP)", "en": "Officer (NIP)"},
    "prof.choose_placeholder": {"id": "Pilih pegawai…", "en": "Choose an officer…"},
    "prof.choose_case": {"id": "Pilih kasus…", "en": "Choose a case…"},
    "prof.none_chosen": {
        "id": "Pilih pegawai di atas, atau buka profil dari halaman Pegawai.",
        "en": "Choose an officer above, or open a profile from the Officers page.",
    },
    "prof.unknown_nip": {
        "id": "NIP {nip} dari tautan tidak ada di snapshot ini.",
        "en": "NIP {nip} from the link is not in this snapshot.",
    },
    "prof.no_months": {
        "id": "Belum ada rapor bulanan untuk pegawai ini di snapshot.",
        "en": "This officer has no monthly scorecard in the snapshot.",
    },
    "prof.postings": {"id": "Riwayat penempatan", "en": "Postings"},
    "prof.no_postings": {
        "id": "Pegawai ini tidak ada di data referensi pegawai.",
        "en": "This officer is not in the officers reference data.",
    },
    "prof.month_numbers": {"id": "Angka bulan {month}", "en": "Numbers for {month}"},
    "prof.history": {"id": "Angka bulanan", "en": "Monthly numbers"},
    "prof.on_time": {"id": "Tepat waktu", "en": "On time"},
    "prof.rates_chart": {
        "id": "Respons dan penyelesaian tepat waktu per bulan (garis galat: IK 95 %)",
        "en": "Responded and resolved on time per month (error bars: 95 % CI)",
    },
    "prof.no_rates": {
        "id": "Belum ada tenggat yang dinilai untuk pegawai ini.",
        "en": "No deadline has been judged for this officer yet.",
    },
    "prof.cases": {
        "id": "Kasus di balik angka bulan {month}",
        "en": "The cases behind {month}'s numbers",
    },
    "prof.cases_caption": {
        "id": "{n} kasus: tepat kasus-kasus pada baris `holder_facts` pegawai ini untuk bulan "
        "{month}, masing-masing dengan fakta yang dihitungnya. Judul dan isi kasus rahasia "
        "tidak ditampilkan; identitas pelapor kasus anonim tidak ditampilkan.",
        "en": "{n} cases: exactly the cases of this officer's `holder_facts` rows for "
        "{month}, each with the facts it counts as. Titles and texts of confidential "
        "(rahasia) cases are hidden; reporter details of anonymous cases are hidden.",
    },
    "prof.facts_help": {
        "id": "Apa yang dihitung kasus ini dalam angka bulan ini (baris `holder_facts`): ✓ "
        "terpenuhi, ✗ terlewat, dengan hari kerjanya.",
        "en": "What the case counts as in this month's numbers (its `holder_facts` rows): ✓ "
        "met, ✗ missed, with the working days.",
    },
    "prof.no_cases": {
        "id": "Tidak ada kasus di balik angka bulan ini.",
        "en": "No case lies behind this month's numbers.",
    },
    "prof.timeline": {"id": "Linimasa peristiwa", "en": "Event timelines"},
    "prof.timeline_case": {
        "id": "Linimasa kasus (satu per satu)",
        "en": "A case's timeline (one at a time)",
    },
    "prof.case_page": {
        "id": "Buka halaman kasus: tenggat, pemegang, pengaduan yang digabung",
        "en": "Open the case page: deadlines, holders, merged complaints",
    },
    "prof.no_events": {
        "id": "Tidak ada peristiwa tercatat untuk kasus ini.",
        "en": "No event is recorded for this case.",
    },
    "prof.metric_received": {"id": "Diterima", "en": "Received"},
    "prof.metric_resolved": {"id": "Diselesaikan", "en": "Resolved"},
    "prof.metric_response": {"id": "Respons tepat waktu", "en": "Responded on time"},
    "prof.metric_resolution": {"id": "Penyelesaian tepat waktu", "en": "Resolved on time"},
    "prof.metric_forwarding": {"id": "Disposisi tepat waktu", "en": "Forwarded on time"},
    "prof.forwarding_help": {
        "id": "Tenggat disposisi kasus yang diverifikasi pegawai ini (admin): {met} dari {due} "
        "terpenuhi; IK 95 %: {low}–{high}. Dihitung dari baris `holder_facts` pegawai ini; "
        "tidak termasuk dalam skor.",
        "en": "Forwarding deadlines of the cases this officer verified (admin): {met} of {due} "
        "met; 95 % CI: {low}–{high}. Counted from this officer's `holder_facts` rows; not "
        "part of the score.",
    },
    "prof.metric_median": {"id": "Median waktu selesai", "en": "Median resolution time"},
    "prof.metric_satisfaction": {"id": "Kepuasan (disusutkan)", "en": "Satisfaction (shrunk)"},
    "prof.metric_rating": {"id": "Hasil kerja (skor)", "en": "Hasil kerja (score)"},
    "prof.predikat": {
        "id": "**Predikat kinerja: {predikat}** — hasil kerja {hasil} × perilaku kerja "
        "{perilaku} (PermenPANRB 6/2022). Angka kredit {credit}; TPP indikatif {tpp}.",
        "en": "**Predikat: {predikat}** — hasil kerja {hasil} × perilaku kerja {perilaku} "
        "(PermenPANRB 6/2022). Credit points {credit}; indicative TPP {tpp}.",
    },
    "prof.predikat_no_behaviour": {
        "id": "Predikat kinerja belum dapat ditetapkan: perilaku kerja bulan ini belum "
        "diisi BKPSDM. TPP indikatif {tpp}.",
        "en": "No predikat yet: HR has not supplied this month's perilaku kerja. Indicative "
        "TPP {tpp}.",
    },
    "prof.predikat_no_result": {
        "id": "Tidak ada predikat kinerja: hasil kerja bulan ini {hasil}.",
        "en": "No predikat: this month's hasil kerja is {hasil}.",
    },
    "prof.tpp_note": {
        "id": "TPP indikatif memakai pita kebijakan atas skor penanganan pengaduan saja; "
        "TPP sebenarnya dihitung dari skor SKP.",
        "en": "Indicative TPP uses the policy's bands on the complaint-handling score only; "
        "the real TPP is paid on the whole SKP score.",
    },
    "predikat.sangat_baik": {"id": "Sangat Baik", "en": "Sangat Baik"},
    "predikat.baik": {"id": "Baik", "en": "Baik"},
    "predikat.butuh_perbaikan": {"id": "Butuh Perbaikan", "en": "Butuh Perbaikan"},
    "predikat.kurang": {"id": "Kurang", "en": "Kurang"},
    "predikat.sangat_kurang": {"id": "Sangat Kurang", "en": "Sangat Kurang"},
    "col.predikat": {"id": "Predikat", "en": "Predikat"},
    "prof.rate_help": {
        "id": "{met} dari {due} tenggat; IK 95 %: {low}–{high}.",
        "en": "{met} of {due} deadlines; 95 % CI: {low}–{high}.",
    },
    "prof.satisfaction_help": {
        "id": "{n} penilaian warga, rata-rata mentah {mean}; disusutkan ke rata-rata pemda.",
        "en": "{n} citizen ratings, raw mean {mean}; shrunk towards the tenant mean.",
    },
    "prof.received_help": {
        "id": "Kasus yang diserahkan (disposisi atau pengalihan) kepada pegawai ini bulan ini.",
        "en": "Cases handed (forwarded or reassigned) to this officer this month.",
    },
    "prof.resolved_help": {
        "id": "Kasus yang diselesaikan secara final bulan ini selagi dipegang pegawai ini.",
        "en": "Cases finally resolved this month while this officer held them.",
    },
    "prof.median_help": {
        "id": "Median hari kerja penerimaan sampai penyelesaian, atas kasus yang diselesaikan "
        "bulan ini; persentil ke-90: {p90}.",
        "en": "Median working days from receipt to resolution over the cases resolved this "
        "month; 90th percentile: {p90}.",
    },
    "fact.received": {"id": "diterima", "en": "received"},
    "fact.forwarding": {"id": "tenggat disposisi", "en": "forwarding deadline"},
    "fact.response": {"id": "tenggat tanggapan", "en": "response deadline"},
    "fact.resolution": {"id": "tenggat penyelesaian", "en": "resolution deadline"},
    "fact.resolved": {"id": "diselesaikan", "en": "resolved"},
    "fact.resolution_event": {"id": "peristiwa penyelesaian", "en": "resolution event"},
    "fact.rating": {"id": "penilaian warga", "en": "citizen rating"},
    "fact.backlog": {"id": "tunggakan akhir bulan", "en": "backlog at month end"},
    "fact.rated": {"id": "dinilai warga", "en": "rated"},
    "fact.reopened": {"id": "dibuka kembali", "en": "reopened"},
    "fact.overdue": {"id": "lewat tenggat", "en": "overdue"},
    "fact.not_fixed": {"id": "warga: belum tuntas", "en": "citizen: not fixed"},
    "confidential": {"id": "rahasia", "en": "rahasia (confidential)"},
    "anonymous": {"id": "anonim", "en": "anonim (anonymous)"},
    "case.status.received": {"id": "diterima", "en": "received"},
    "case.status.forwarded": {"id": "didisposisi", "en": "forwarded"},
    "case.status.in_progress": {"id": "diproses", "en": "in progress"},
    "case.status.resolved": {"id": "selesai", "en": "resolved"},
    "case.status.archived": {"id": "diarsipkan", "en": "archived"},
    "case.status.rejected": {"id": "ditolak", "en": "rejected"},
    "event.received": {"id": "diterima", "en": "received"},
    "event.verified": {"id": "diverifikasi", "en": "verified"},
    "event.forwarded": {"id": "didisposisi", "en": "forwarded"},
    "event.reassigned": {"id": "dialihkan", "en": "reassigned"},
    "event.responded": {"id": "ditanggapi (tindak lanjut)", "en": "responded (tindak lanjut)"},
    "event.clarification_requested": {"id": "minta klarifikasi", "en": "clarification requested"},
    "event.clarified": {"id": "klarifikasi diterima", "en": "clarified"},
    "event.resolved": {"id": "diselesaikan", "en": "resolved"},
    "event.reopened": {"id": "dibuka kembali", "en": "reopened"},
    "event.archived": {"id": "diarsipkan", "en": "archived"},
    "event.rejected": {"id": "ditolak", "en": "rejected"},
    "event.postponed": {"id": "ditunda", "en": "postponed"},
    "event.automatic_closure": {
        "id": "ditutup otomatis oleh sistem",
        "en": "closed automatically by the system",
    },
    # --- data quality (gates and quarantine) -------------------------------------------
    "page.quality": {"id": "Mutu data", "en": "Data quality"},
    "q.caption": {
        "id": "Gerbang mutu memeriksa data yang sudah distaging dengan Great Expectations "
        "sebelum apa pun diterbitkan. Bila satu pemeriksaan gagal, penerbitan diblokir dan "
        "snapshot sebelumnya tetap ditampilkan. Hasil gerbang terakhir dibaca dari "
        "`serving/quality.duckdb`, juga ketika penerbitan diblokir.",
        "en": "The quality gate checks the staged data with Great Expectations before "
        "anything is published. When a check fails, publication is blocked and the previous "
        "snapshot stays served. The latest gate's results are read from "
        "`serving/quality.duckdb`, also when publication was blocked.",
    },
    "q.blocked": {
        "id": "**Penerbitan diblokir**: gerbang mutu terakhir (run `{run}`, {checked} UTC) "
        "gagal. Snapshot yang ditampilkan berasal dari {published} UTC.",
        "en": "**Publication blocked**: the latest quality gate (run `{run}`, {checked} UTC) "
        "failed. The snapshot shown is from {published} UTC.",
    },
    "q.reasons": {"id": "Alasannya:", "en": "Why:"},
    "q.reason": {
        "id": "**{check}** · `{expectation}`: {observed} (diharapkan: {expected})",
        "en": "**{check}** · `{expectation}`: {observed} (expected: {expected})",
    },
    "q.more_reasons": {"id": "… dan {n} lagi di tabel di bawah.", "en": "… and {n} more below."},
    "q.passed": {
        "id": "Gerbang mutu terakhir lolos (run `{run}`, {checked} UTC): {n} harapan terpenuhi.",
        "en": "The latest quality gate passed (run `{run}`, {checked} UTC): {n} expectations met.",
    },
    "q.from_snapshot": {
        "id": "Berkas `serving/quality.duckdb` tidak ada: hasil di bawah adalah gerbang yang "
        "dilalui snapshot ini.",
        "en": "There is no `serving/quality.duckdb`: below is the gate this snapshot passed.",
    },
    "q.none": {
        "id": "Belum ada hasil gerbang mutu. Jalankan pipeline: `rapor run --home DIR`.",
        "en": "No quality gate results yet. Run the pipeline: `rapor run --home DIR`.",
    },
    "q.unreadable": {
        "id": "Hasil gerbang mutu tidak dapat dibaca: {error}",
        "en": "The quality gate results cannot be read: {error}",
    },
    "q.banner": {
        "id": "**Penerbitan diblokir**: gerbang mutu terakhir gagal ({checks}). Snapshot yang "
        "ditampilkan berasal dari {published} UTC.",
        "en": "**Publication blocked**: the latest quality gate failed ({checks}). The "
        "snapshot shown is from {published} UTC.",
    },
    "q.banner_no_snapshot": {
        "id": "Gerbang mutu terakhir gagal ({checks}), sehingga belum ada yang diterbitkan.",
        "en": "The latest quality gate failed ({checks}), so nothing has been published yet.",
    },
    "q.open": {"id": "Lihat alasannya di Mutu data", "en": "See why on Data quality"},
    "q.checks": {"id": "Pemeriksaan", "en": "Checks"},
    "q.expectations": {"id": "Semua harapan", "en": "Every expectation"},
    "q.expectations_caption": {
        "id": "Satu baris per harapan (expectation) Great Expectations; teks teramati dan "
        "diharapkan seperti dicatat pipeline di tabel `quality_results`.",
        "en": "One row per Great Expectations expectation; observed and expected as the "
        "pipeline records them in the `quality_results` table.",
    },
    "q.samples": {"id": "Contoh baris yang gagal", "en": "Sample failing rows"},
    "q.samples_caption": {
        "id": "Paling banyak lima baris per harapan yang gagal, dengan kolom yang menunjukkan "
        "letaknya (sumber, berkas, nomor baris, kunci).",
        "en": "Up to five rows per failed expectation, with the columns that locate them "
        "(source, file, row number, keys).",
    },
    "case.quarantined_events": {
        "id": "Masalah data: {n} peristiwa kasus ini dikarantina ({closing} di antaranya "
        "penutupan) dan tidak dihitung. Kasus ini bisa tampak belum selesai atau terlambat "
        "karena data, bukan karena petugas; lihat karantina di Mutu data.",
        "en": "Data problem: {n} events of this case were quarantined ({closing} of them "
        "closures) and are not counted. The case may look open or late because of the data, "
        "not the officer; see the quarantine on Data quality.",
    },
    "case.clamped_events": {
        "id": "Catatan mutu data: {n} peristiwa kasus ini dicap sedikit sebelum pengaduannya "
        "diterima (jam perangkat); waktunya disetel ke waktu penerimaan.",
        "en": "Data-quality note: {n} events of this case were stamped just before the "
        "complaint was received (a device clock); their time was set to the receipt time.",
    },
    "exp.data_note_quarantined": {
        "id": "masalah data: {n} peristiwa dikarantina ({closing} penutupan), bukan "
        "keterlambatan petugas",
        "en": "data problem: {n} events quarantined ({closing} closures), not the officer's delay",
    },
    "exp.data_note_clamped": {
        "id": "{n} peristiwa dicap sebelum diterima, disetel ke waktu penerimaan",
        "en": "{n} events stamped before receipt, set to the receipt time",
    },
    "q.notes": {"id": "Catatan mutu data", "en": "Data-quality notes"},
    "q.notes_caption": {
        "id": "Bukan kegagalan: baris ini diterima, dengan penyesuaian yang dicatat di sini.",
        "en": "Not failures: these rows were accepted, with the adjustment recorded here.",
    },
    "q.note": {
        "id": "{n} peristiwa dicap sedikit sebelum pengaduannya diterima (jam perangkat yang "
        "tidak tepat); waktunya disetel ke waktu penerimaan dan cap aslinya disimpan "
        "(event_at_recorded). Teramati: {observed}",
        "en": "{n} events were stamped just before their complaint was received (a device "
        "clock off); their time was set to the receipt time and the original stamp kept "
        "(event_at_recorded). Observed: {observed}",
    },
    "q.no_samples": {"id": "Tidak ada contoh baris.", "en": "No sample rows."},
    "q.quarantine": {"id": "Karantina snapshot terbit", "en": "Quarantine of the snapshot"},
    "q.quarantine_caption": {
        "id": "Baris masukan yang ditolak pada run yang diterbitkan (run `{run}`), per sumber "
        "dan alasan: {n} baris.",
        "en": "Input rows rejected in the published run (run `{run}`), by source and "
        "reason: {n} rows.",
    },
    "q.no_quarantine": {
        "id": "Tidak ada baris masukan yang dikarantina pada run yang diterbitkan.",
        "en": "No input row was quarantined in the published run.",
    },
    "q.col.check": {"id": "Pemeriksaan", "en": "Check"},
    "q.col.status": {"id": "Hasil", "en": "Result"},
    "q.col.family": {"id": "Kelompok", "en": "Family"},
    "q.col.expectation": {"id": "Harapan (GX)", "en": "Expectation (GX)"},
    "q.col.observed": {"id": "Teramati", "en": "Observed"},
    "q.col.expected": {"id": "Diharapkan", "en": "Expected"},
    "q.col.failing": {"id": "Gagal", "en": "Failing"},
    "q.col.checked": {"id": "Diperiksa", "en": "Checked"},
    "q.col.expectations": {"id": "Harapan", "en": "Expectations"},
    "q.col.failed": {"id": "Harapan gagal", "en": "Failed expectations"},
    "q.col.source": {"id": "Sumber", "en": "Source"},
    "q.col.input": {"id": "Tabel masukan", "en": "Input table"},
    "q.col.reason": {"id": "Alasan", "en": "Reason"},
    "q.col.rows": {"id": "Baris", "en": "Rows"},
    "q.status.passed": {"id": "lolos", "en": "passed"},
    "q.status.failed": {"id": "gagal", "en": "failed"},
    "q.verdicts": {
        "id": "Putusan tepat waktu dari sumber",
        "en": "The source's own on-time verdicts",
    },
    "q.verdicts_caption": {
        "id": "Sumber yang mencatat sendiri apakah aduan selesai tepat waktu: putusannya "
        "dibandingkan dengan putusan rapor per unit. Dibandingkan hanya bila keduanya "
        "menilai; rapor tidak menilai kasus yang belum jatuh tempo atau tanpa batas waktu.",
        "en": "Sources that record whether a complaint was resolved on time: their verdict "
        "against rapor's, per unit. Compared only where both judge; rapor does not judge a "
        "case not yet due or one without a deadline.",
    },
    "q.verdicts_all_agree": {
        "id": "Semua putusan yang dibandingkan sama.",
        "en": "Every verdict compared agrees.",
    },
    "q.verdicts_disagreeing": {"id": "{n} kasus berbeda putusan", "en": "{n} cases disagree"},
    "q.verdict.on_time": {"id": "tepat waktu", "en": "on time"},
    "q.verdict.overdue": {"id": "terlambat", "en": "overdue"},
    "q.verdict.unknown": {"id": "nilai tak dikenal", "en": "unknown value"},
    "q.basis.policy": {"id": "hari kerja kebijakan", "en": "policy working days"},
    "q.basis.source_timestamp": {
        "id": "batas waktu sumber (jam)",
        "en": "source due time (timestamp)",
    },
    "q.basis.source_date": {"id": "batas waktu sumber (tanggal)", "en": "source due date"},
    "q.basis.none": {"id": "tidak dinilai", "en": "not judged"},
    "q.col.unit": {"id": "Unit", "en": "Unit"},
    "q.col.with_verdict": {"id": "Berputusan sumber", "en": "With source verdict"},
    "q.col.compared": {"id": "Dibandingkan", "en": "Compared"},
    "q.col.agree": {"id": "Sama", "en": "Agree"},
    "q.col.disagree": {"id": "Berbeda", "en": "Disagree"},
    "q.col.rapor_not_judged": {"id": "Tidak dinilai rapor", "en": "Not judged by rapor"},
    "q.col.source_unknown": {"id": "Nilai tak dikenal", "en": "Unknown value"},
    "q.col.agreement_rate": {"id": "Kesesuaian", "en": "Agreement"},
    "q.col.case": {"id": "Kasus", "en": "Case"},
    "q.col.month": {"id": "Bulan jatuh tempo", "en": "Month due"},
    "q.col.deadline_basis": {"id": "Dasar batas waktu", "en": "Deadline basis"},
    "q.col.source_verdict": {"id": "Putusan sumber", "en": "Source verdict"},
    "q.col.rapor_verdict": {"id": "Putusan rapor", "en": "rapor verdict"},
    # --- sign-in and roles (app/auth.py, docs/access.md) ---------------------------------
    "auth.title": {"id": "Masuk ke rapor", "en": "Sign in to rapor"},
    "auth.caption": {
        "id": "Akun dibuat oleh pengelola aplikasi dengan `rapor users add`.",
        "en": "Accounts are created by the app's administrator with `rapor users add`.",
    },
    "auth.username": {"id": "Nama pengguna", "en": "Username"},
    "auth.password": {"id": "Kata sandi", "en": "Password"},
    "auth.submit": {"id": "Masuk", "en": "Sign in"},
    "auth.failed": {
        "id": "Nama pengguna atau kata sandi salah.",
        "en": "Wrong username or password.",
    },
    "auth.locked": {
        "id": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
        "en": "Too many failed sign-in attempts. Try again in {minutes} minutes.",
    },
    "auth.throttle_unavailable": {
        "id": "Masuk tidak dapat diperiksa: catatan percobaan masuk (DIR/audit) tidak dapat "
        "ditulis: {error}",
        "en": "Sign-in cannot be checked: the sign-in record (DIR/audit) cannot be written: "
        "{error}",
    },
    "auth.oidc": {"id": "Masuk dengan akun SSO", "en": "Sign in with SSO"},
    "auth.oidc_no_role": {
        "id": "Akun {email} belum terdaftar di rapor. Minta pengelola menambahkannya "
        "(`rapor users add --email ...`).",
        "en": "The account {email} is not registered in rapor. Ask the administrator to add "
        "it (`rapor users add --email ...`).",
    },
    "auth.sign_out": {"id": "Keluar", "en": "Sign out"},
    "auth.signed_in": {
        "id": "Masuk sebagai **{name}**  \n{role}",
        "en": "Signed in as **{name}**  \n{role}",
    },
    "auth.open_notice": {
        "id": "Tanpa login: belum ada daftar pengguna (users.yaml), jadi siapa pun yang "
        "membuka aplikasi ini melihat semua SKPD. Tambahkan pengguna dengan `rapor users add`.",
        "en": "No sign-in configured: there is no users file (users.yaml), so anyone who "
        "opens this app sees every unit. Add users with `rapor users add`.",
    },
    "auth.required_no_users": {
        "id": "Login diwajibkan (RAPOR_REQUIRE_SIGNIN) tetapi belum ada pengguna. "
        "Tambahkan dengan `rapor users add`.",
        "en": "Sign-in is required (RAPOR_REQUIRE_SIGNIN) but there are no users yet. "
        "Add them with `rapor users add`.",
    },
    "auth.bad_file": {
        "id": "Daftar pengguna tidak dapat dibaca: {error}",
        "en": "The users file cannot be read: {error}",
    },
    "auth.not_allowed_officer": {
        "id": "Tidak diizinkan: akun Anda hanya dapat membuka pegawai {units}; "
        "pegawai dengan NIP {nip} tidak termasuk.",
        "en": "Not allowed: your account may only open officers of {units}; the officer "
        "with NIP {nip} is not one of them.",
    },
    "auth.not_allowed_unit": {
        "id": "Tidak diizinkan: akun Anda hanya dapat melihat SKPD {units}, bukan {unit}.",
        "en": "Not allowed: your account may only see {units}, not {unit}.",
    },
    # --- Rekomendasi (HR) and Inspektorat (docs/flags.md, docs/publications.md) ----------
    "page.recommendations": {"id": "Rekomendasi", "en": "Recommendations"},
    "page.inspectorate": {"id": "Inspektorat", "en": "Inspectorate"},
    "auth.not_allowed_page": {
        "id": "Tidak diizinkan: halaman ini hanya untuk {roles}.",
        "en": "Not allowed: this page is only for {roles}.",
    },
    "rec.title": {"id": "Rekomendasi kepegawaian", "en": "HR recommendations"},
    "rec.caption": {
        "id": "Calon penghargaan, pembinaan, dan usulan pemeriksaan Inspektorat untuk bulan "
        "yang sudah final, dengan alasan, angka, ambang kebijakan, dan kasus buktinya.",
        "en": "Reward candidates, coaching and inspectorate reviews for settled months, with "
        "the reasons, numbers, policy thresholds and evidence cases.",
    },
    "rec.decide_note": {
        "id": "rapor merekomendasikan dan mendokumentasikan; keputusan tetap di tangan "
        "manusia. Sanksi menurut PP 94/2021 memerlukan pemeriksaan; rekomendasi bukan temuan.",
        "en": "rapor recommends and documents; people decide. A sanction under PP 94/2021 "
        "needs a hearing; a recommendation is not a finding.",
    },
    "rec.scope_unit": {
        "id": "Hanya rekomendasi untuk SKPD {units}.",
        "en": "Only the recommendations of {units}.",
    },
    "rec.kind_filter": {"id": "Jenis", "en": "Kind"},
    "rec.all_kinds": {"id": "Semua jenis", "en": "All kinds"},
    "rec.kind.reward_candidate": {"id": "Calon penghargaan", "en": "Reward candidate"},
    "rec.kind.coaching": {"id": "Pembinaan", "en": "Coaching"},
    "rec.kind.inspectorate_review": {
        "id": "Usulan pemeriksaan Inspektorat",
        "en": "Inspectorate review",
    },
    "rec.count": {
        "id": "{n} rekomendasi bulan {month}.",
        "en": "{n} recommendations for {month}.",
    },
    "rec.empty": {
        "id": "Tidak ada rekomendasi bulan {month} (bulan sementara tidak mendapat rekomendasi).",
        "en": "No recommendations for {month} (provisional months get none).",
    },
    "rec.download": {"id": "Unduh Excel", "en": "Download Excel"},
    "rec.download_help": {
        "id": "Semua rekomendasi bulan {month} yang boleh Anda lihat, sebagai satu lembar Excel.",
        "en": "Every recommendation of {month} you may see, as one Excel sheet.",
    },
    "rec.distribution": {
        "id": "Distribusi predikat (SE MenPANRB): {broken} dari {n} aturan dilanggar",
        "en": "Predikat distribution (SE MenPANRB): {broken} of {n} rules broken",
    },
    "rec.distribution_caption": {
        "id": "Pola distribusi predikat pegawai menurut predikat kinerja organisasi dari "
        "BKPSDM, dihitung atas pegawai yang memiliki predikat bulan ini. Pelanggaran adalah "
        "peringatan sebelum memutuskan, bukan keputusan.",
        "en": "The distribution of officers' predikat by the organisation's own rating from "
        "HR, over the officers with a predikat this month. A broken rule is a warning "
        "before deciding, not a decision.",
    },
    "rec.distribution_none": {
        "id": "Tidak ada aturan yang dinilai: belum ada predikat organisasi atau predikat "
        "pegawai bulan ini.",
        "en": "No rule judged: no organisation rating or no officer predikat this month.",
    },
    "rec.pemda": {"id": "Pemda (seluruh SKPD)", "en": "Pemda (all units)"},
    "rec.col.org_rating": {"id": "Predikat organisasi", "en": "Organisation rating"},
    "rec.col.rule": {"id": "Aturan dan hasil", "en": "Rule and count"},
    "rec.col.passed": {"id": "Terpenuhi", "en": "Met"},
    "rec.col.kind": {"id": "Jenis", "en": "Kind"},
    "rec.col.reasons": {"id": "Alasan", "en": "Reasons"},
    "rec.col.evidence": {"id": "Kasus bukti", "en": "Evidence cases"},
    "rec.col.evidence_n": {"id": "Jumlah kasus bukti", "en": "Evidence cases (count)"},
    "insp.title": {"id": "Inspektorat", "en": "Inspectorate"},
    "insp.caption": {
        "id": "Tanda (flags) untuk memeriksa kasus, dan riwayat publikasi bulan ini.",
        "en": "Flags to look at cases, and the publication history of the month.",
    },
    "insp.flags": {"id": "Tanda bulan {month}", "en": "Flags of {month}"},
    "insp.flags_note": {
        "id": "Tanda adalah alasan untuk melihat kasus, bukan temuan.",
        "en": "A flag is a reason to look at a case, not a finding.",
    },
    "insp.no_flags": {"id": "Tidak ada tanda bulan {month}.", "en": "No flags for {month}."},
    "insp.flag_filter": {"id": "Tanda", "en": "Flag"},
    "insp.all_flags": {"id": "Semua tanda", "en": "All flags"},
    "insp.col.flag": {"id": "Tanda", "en": "Flag"},
    "insp.col.cases": {"id": "Kasus", "en": "Cases"},
    "insp.col.officers": {"id": "ASN", "en": "Officers"},
    "insp.col.detail": {"id": "Rincian", "en": "Detail"},
    "insp.history": {
        "id": "Riwayat publikasi bulan {month}",
        "en": "Publication history of {month}",
    },
    "insp.history_caption": {
        "id": "Setiap versi membekukan angka bulan ini; versi hanya ditambah, tidak pernah "
        "diubah. Ringkasan perubahan menyebut angka yang berubah dan sebabnya.",
        "en": "Every version freezes the month's numbers; versions are only appended, never "
        "changed. The change summary names what moved and why.",
    },
    "insp.no_versions": {
        "id": "Belum ada versi publikasi bulan {month}.",
        "en": "No publication version of {month} yet.",
    },
    "insp.version": {"id": "Versi {version}", "en": "Version {version}"},
    "insp.col.version": {"id": "Versi", "en": "Version"},
    "insp.col.published_at": {"id": "Diterbitkan", "en": "Published"},
    "insp.col.supersedes": {"id": "Menggantikan", "en": "Supersedes"},
    "insp.col.summary": {"id": "Ringkasan perubahan", "en": "Change summary"},
    "insp.col.policy": {"id": "Kebijakan", "en": "Policy"},
    "insp.col.code": {"id": "Versi kode", "en": "Code version"},
    "insp.col.snapshot_hash": {"id": "Hash snapshot", "en": "Snapshot hash"},
    "insp.compare": {
        "id": "Angka ASN per versi, berdampingan dengan angka saat ini",
        "en": "An officer's numbers per version, side by side with the current ones",
    },
    "insp.compare_choose": {"id": "ASN", "en": "Officer"},
    "insp.compare_none": {
        "id": "ASN ini tidak memiliki angka bulan {month}.",
        "en": "This officer has no numbers for {month}.",
    },
    "insp.col.measure": {"id": "Ukuran", "en": "Measure"},
    "insp.current": {"id": "saat ini", "en": "current"},
    "role.leadership": {"id": "Pimpinan", "en": "Leadership"},
    "role.hr": {"id": "BKPSDM (kepegawaian)", "en": "HR (BKPSDM)"},
    "role.inspectorate": {"id": "Inspektorat", "en": "Inspectorate"},
    "role.skpd_head": {"id": "Kepala SKPD", "en": "SKPD head"},
}


def language() -> str:
    """The language chosen in the sidebar (Bahasa Indonesia until someone picks another)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """The text for `key` in the current language, with `{name}` fields filled in."""
    text = TEXT[key][language()]
    return text.format(**values) if values else text


def t_or(key: str, fallback: str) -> str:
    """Like `t`, for keys built from data values (a status, an event type): unknown values
    are shown as they are instead of failing."""
    entry = TEXT.get(key)
    return entry[language()] if entry else fallback


def rating_label(code: str | None) -> str:
    """A rating code (di_atas_ekspektasi, ...) in words."""
    if code is None:
        return ""
    return t_or(f"rating.{code}", code.replace("_", " "))


def predikat_label(code: str | None) -> str:
    """A predikat code (sangat_baik, ...) in words."""
    if code is None:
        return ""
    return t_or(f"predikat.{code}", code.replace("_", " "))
