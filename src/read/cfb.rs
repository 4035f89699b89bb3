//! OLE compound files (.xls, .doc, .wps): a checked reader of their streams ([`Compound`]), and
//! the sanity check an .xls gets before calamine reads it ([`check`]): sector chains must end
//! without looping, stream sizes must fit in the file, and no sheet may declare more cells
//! (BIFF `DIMENSIONS`) than [`MAX_SHEET_CELLS`].
//!
//! calamine trusts all three; fuzzing found damaged .xls files that made it follow a looping
//! chain or reserve room for 10¹⁴ cells until the process was killed. A panic guard cannot
//! stop an allocation, so such files are refused here, in time linear in the file.

use super::sheet::MAX_SHEET_CELLS;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;
/// Sector numbers above this are markers, not sectors.
const MAX_SECTOR: u32 = 0xFFFF_FFFA;

/// The little-endian integer of `N` bytes at `at`, if the bytes are there.
fn le_bytes<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

pub(super) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    le_bytes(b, at).map(u16::from_le_bytes)
}

pub(super) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    le_bytes(b, at).map(u32::from_le_bytes)
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    le_bytes(b, at).map(u64::from_le_bytes)
}

/// Which chain each sector was found in (0: none yet), while a file's chains are checked.
#[derive(Default)]
struct Claims {
    owners: Vec<u32>,
    chains: u32,
}

struct File<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    sectors: u32,
    fat: Vec<u32>,
}

impl File<'_> {
    fn sector(&self, id: u32) -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(self.sector_size)?;
        self.bytes.get(start..start.checked_add(self.sector_size)?)
    }

    /// The sectors of the chain starting at `start`, refusing loops and sectors past the end.
    fn chain(&self, start: u32, what: &str) -> Result<Vec<u32>, String> {
        self.claim(start, what, &mut Claims::default())
    }

    /// [`chain`](Self::chain), also refusing a sector that an earlier chain claimed (each
    /// sector belongs to one stream), so that checking every chain of a file takes time linear
    /// in the file, however many directory entries share one long chain.
    fn claim(&self, start: u32, what: &str, claims: &mut Claims) -> Result<Vec<u32>, String> {
        claims.chains += 1;
        let mut out = Vec::new();
        let mut id = start;
        while id != END_OF_CHAIN && id != FREE {
            if id >= self.sectors || id > MAX_SECTOR {
                return Err(format!(
                    "{what} points to sector {id}, past the end of the file"
                ));
            }
            if out.len() > self.sectors as usize {
                return Err(format!("{what} loops"));
            }
            if let Some(owner) = claims.owners.get_mut(id as usize) {
                match std::mem::replace(owner, claims.chains) {
                    0 => {}
                    same if same == claims.chains => return Err(format!("{what} loops")),
                    _ => return Err(format!("{what} shares sector {id} with another stream")),
                }
            }
            out.push(id);
            id = *self
                .fat
                .get(id as usize)
                .ok_or_else(|| format!("{what} leaves the allocation table"))?;
        }
        Ok(out)
    }
}

/// A compound file whose allocation tables and directory were checked: every chain it follows
/// ends without looping and inside the file, and no stream declares more bytes than the file
/// holds.
pub struct Compound<'a> {
    file: File<'a>,
    /// The mini stream's cutoff: smaller streams live in the mini stream.
    cutoff: u64,
    entries: Vec<Entry>,
    mini_fat: (u32, usize),
}

struct Entry {
    name: String,
    /// 2 for a stream, 5 for the root (which holds the mini stream).
    kind: u8,
    start: u32,
    size: u64,
}

/// `what` as a damaged-compound-file message.
fn damaged(what: &str) -> String {
    format!("damaged compound file: {what}")
}

impl<'a> Compound<'a> {
    /// Reads the header, allocation tables and directory of the compound file in `bytes`.
    pub fn open(bytes: &'a [u8]) -> Result<Self, String> {
        let shift = u16_at(bytes, 30).ok_or_else(|| damaged("header cut short"))?;
        if shift != 9 && shift != 12 {
            return Err(damaged(&format!("sector size 2^{shift}")));
        }
        let sector_size = 1usize << shift;
        let sectors = u32::try_from((bytes.len() / sector_size).saturating_sub(1)).unwrap_or(0);
        let fat_sectors = u32_at(bytes, 44).ok_or_else(|| damaged("header cut short"))?;
        if fat_sectors > sectors {
            return Err(damaged(&format!(
                "{fat_sectors} allocation-table sectors in a file of {sectors}"
            )));
        }
        // The allocation table's own sectors: 109 in the header, then a chain of DIFAT sectors.
        let mut fat_ids: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(bytes, 76 + 4 * i))
            .filter(|&id| id <= MAX_SECTOR)
            .collect();
        let mut difat = u32_at(bytes, 68).unwrap_or(END_OF_CHAIN);
        let mut steps = 0;
        let mut file = File {
            bytes,
            sector_size,
            sectors,
            fat: Vec::new(),
        };
        while difat <= MAX_SECTOR {
            steps += 1;
            let sector = file
                .sector(difat)
                .filter(|_| steps <= sectors)
                .ok_or_else(|| damaged("the allocation-table index loops or leaves the file"))?;
            let per = sector_size / 4 - 1;
            fat_ids.extend(
                (0..per)
                    .filter_map(|i| u32_at(sector, 4 * i))
                    .filter(|&id| id <= MAX_SECTOR),
            );
            difat = u32_at(sector, 4 * per).unwrap_or(END_OF_CHAIN);
        }
        let mut fat = Vec::new();
        for id in fat_ids.iter().take(fat_sectors as usize) {
            let sector = file
                .sector(*id)
                .ok_or_else(|| damaged(&format!("allocation-table sector {id} past the end")))?;
            fat.extend((0..sector_size / 4).filter_map(|i| u32_at(sector, 4 * i)));
        }
        file.fat = fat;
        let cutoff = u64::from(u32_at(bytes, 56).unwrap_or(4096));
        let mut claimed = Claims {
            owners: vec![0; sectors as usize],
            chains: 0,
        };
        let directory = file
            .claim(
                u32_at(bytes, 48).unwrap_or(END_OF_CHAIN),
                "the directory",
                &mut claimed,
            )
            .map_err(|e| damaged(&e))?;
        let mini_fat_start = u32_at(bytes, 60).unwrap_or(END_OF_CHAIN);
        file.claim(mini_fat_start, "the mini allocation table", &mut claimed)
            .map_err(|e| damaged(&e))?;
        let capacity = sectors as u64 * sector_size as u64;
        let mut entries = Vec::new();
        for id in directory {
            let Some(sector) = file.sector(id) else {
                continue;
            };
            for entry in sector.chunks_exact(128) {
                let kind = entry[66];
                if kind != 2 && kind != 5 {
                    continue;
                }
                let size = u64_at(entry, 120).unwrap_or(0)
                    & if shift == 9 { 0xFFFF_FFFF } else { u64::MAX };
                if size > capacity {
                    return Err(damaged(&format!(
                        "a stream declares {size} bytes in a file of {}",
                        bytes.len()
                    )));
                }
                let start = u32_at(entry, 116).unwrap_or(END_OF_CHAIN);
                if kind == 5 || size >= cutoff {
                    file.claim(start, "a stream", &mut claimed)
                        .map_err(|e| damaged(&e))?;
                }
                entries.push(Entry {
                    name: name(entry),
                    kind,
                    start,
                    size,
                });
            }
        }
        let mini_fat_len = u32_at(bytes, 64).unwrap_or(0) as usize * sector_size;
        Ok(Compound {
            file,
            cutoff,
            entries,
            mini_fat: (mini_fat_start, mini_fat_len),
        })
    }

    fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))
    }

    /// The bytes of the stream `name` (compared case-insensitively): from sectors, or from the
    /// mini stream when it is small.
    pub fn stream(&self, name: &str) -> Option<Vec<u8>> {
        let entry = self.entry(name)?;
        let size = entry.size as usize;
        if entry.size >= self.cutoff {
            return Some(self.file.read(entry.start, size));
        }
        let root = self.entries.iter().find(|e| e.kind == 5)?;
        let mini = self.file.read(root.start, root.size as usize);
        let mini_fat = self.file.read(self.mini_fat.0, self.mini_fat.1);
        Some(mini_stream(&mini, &mini_fat, entry.start, size))
    }
}

/// Checks the structure calamine relies on; the error says what is damaged. Gives the
/// workbook stream, when there is one.
pub fn check(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let compound = Compound::open(bytes)?;
    let Some(workbook) = compound
        .stream("Workbook")
        .or_else(|| compound.stream("Book"))
    else {
        return Ok(None);
    };
    dimensions(&workbook).map_err(|e| damaged(&e))?;
    Ok(Some(workbook))
}

/// A directory entry's name (UTF-16, length in bytes at offset 64).
fn name(entry: &[u8]) -> String {
    let len = (u16_at(entry, 64).unwrap_or(0) as usize).min(64);
    let units: Vec<u16> = entry[..len]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

impl File<'_> {
    /// The first `len` bytes of the chain at `start` (chains were checked: no loops).
    fn read(&self, start: u32, len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for id in self.chain(start, "").unwrap_or_default() {
            if out.len() >= len {
                break;
            }
            out.extend_from_slice(self.sector(id).unwrap_or_default());
        }
        out.truncate(len);
        out
    }
}

/// The first `len` bytes of the mini-stream chain at `start` (64-byte mini sectors).
fn mini_stream(mini: &[u8], mini_fat: &[u8], start: u32, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut id = start;
    let limit = mini.len() / 64 + 1;
    while id < MAX_SECTOR && out.len() < len && out.len() / 64 < limit {
        let at = id as usize * 64;
        let Some(sector) = mini.get(at..at + 64) else {
            break;
        };
        out.extend_from_slice(sector);
        id = u32_at(mini_fat, 4 * id as usize).unwrap_or(END_OF_CHAIN);
    }
    out.truncate(len);
    out
}

/// Refuses a BIFF `DIMENSIONS` record declaring more cells than [`MAX_SHEET_CELLS`], computed
/// as calamine computes it (last row and column exclusive, wrapping).
fn dimensions(stream: &[u8]) -> Result<(), String> {
    for super::biff::Record { typ, data } in super::biff::records(stream, 0) {
        // FILEPASS: the rest is encrypted; calamine reports the password protection.
        if typ == 0x002F {
            return Ok(());
        }
        if typ == 0x0200 {
            let fields = match data.len() {
                10 => u16_at(data, 0)
                    .zip(u16_at(data, 2))
                    .zip(u16_at(data, 4).zip(u16_at(data, 6)))
                    .map(|((rf, rl), (cf, cl))| {
                        (u32::from(rf), u32::from(rl), u32::from(cf), u32::from(cl))
                    }),
                14 | 16 => u32_at(data, 0)
                    .zip(u32_at(data, 4))
                    .zip(u16_at(data, 8).zip(u16_at(data, 10)))
                    .map(|((rf, rl), (cf, cl))| (rf, rl, u32::from(cf), u32::from(cl))),
                _ => None,
            };
            if let Some((rf, rl, mut cf, cl)) = fields {
                if cf > 0xFF || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
                    let cols = u64::from((cl - 1).wrapping_sub(cf).wrapping_add(1));
                    if rows.saturating_mul(cols) > MAX_SHEET_CELLS {
                        return Err(format!(
                            "a sheet declares {rows} rows × {cols} columns, more than {MAX_SHEET_CELLS} cells"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
