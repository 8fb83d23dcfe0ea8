//! One snapshot of the generated Typst per fixture: a change to a template
//! or to the escaping shows up here as a readable diff.

use hmip_letter::load;

use crate::common::*;

#[test]
fn generated_typst_of_each_fixture() {
    insta::glob!("../../fixtures", "*.yaml", |path| {
        let input = load::Input::Path(path.to_path_buf());
        let file = load::read(&input).unwrap();
        let letter = pipeline().load(file, input.dir()).unwrap();
        let prepared = pipeline().prepare(&letter, &hmip_letter::Options::default()).unwrap();
        insta::assert_snapshot!(prepared.source.text);
    });
}
