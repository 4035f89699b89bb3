use lopdf::{Document, LoadOptions, Object};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let mut v = std::fs::read(&a[1]).unwrap();
    v.extend_from_slice(b"\nendstream endobj\n999998 0 obj\n<< /Type /Catalog /Pages 999997 0 R >>\nendobj\n999997 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 999998 0 R /Size 999999 >>\nstartxref\n0\n%%EOF\n");
    let doc = Document::load_mem_with_options(&v, LoadOptions { force_reconstruct: true, ..Default::default() }).unwrap();
    println!("objects={} max={:?}", doc.objects.len(), doc.objects.keys().last());
    for id in [(6u32, 0u16), (7, 0), (8, 0), (9, 0), (10, 0)] {
        println!("{id:?}: {}", doc.objects.get(&id).map(|o| o.enum_variant()).unwrap_or("MISSING"));
    }
    let _ = Object::Null;
}
