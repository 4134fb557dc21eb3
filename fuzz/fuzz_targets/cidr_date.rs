#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| apigw_authz_fuzz::cidr_date(data));
