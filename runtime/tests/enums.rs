//! The enum macros as a generated crate uses them: from outside the runtime, through `$crate`.

use aws_codegen_runtime::json;
use std::str::FromStr;

aws_codegen_runtime::string_enum! {
    #[doc = "How a route is authorized."]
    pub enum AuthorizationType {
        #[doc = "No authorization."]
        None => "NONE",
        #[doc = "Signature Version 4."]
        AwsIam => "AWS_IAM",
        Custom => "CUSTOM",
        Jwt => "JWT",
    }
}

aws_codegen_runtime::int_enum! {
    #[doc = "A priority."]
    pub enum Priority {
        High => 1,
        Low => 2,
        Never => -1,
    }
}

#[test]
fn string_enum_known_and_unknown_round_trip_through_json() {
    assert_eq!(String::from_utf8(json::to_vec(&AuthorizationType::AwsIam)).unwrap(), r#""AWS_IAM""#);
    assert_eq!(json::from_slice::<AuthorizationType>(r#""JWT""#.as_bytes()).unwrap(), AuthorizationType::Jwt);
    assert_eq!(json::from_slice::<AuthorizationType>(r#""NONE""#.as_bytes()).unwrap(), AuthorizationType::None);

    let unknown: AuthorizationType = json::from_slice(r#""COGNITO""#.as_bytes()).unwrap();
    assert_eq!(unknown, AuthorizationType::Unknown("COGNITO".into()));
    assert_eq!(String::from_utf8(json::to_vec(&unknown)).unwrap(), r#""COGNITO""#);
    assert_eq!(unknown.as_str(), "COGNITO");

    let list: Vec<AuthorizationType> = json::from_slice(r#"["CUSTOM","NEW"]"#.as_bytes()).unwrap();
    assert_eq!(list, [AuthorizationType::Custom, AuthorizationType::Unknown("NEW".into())]);
    assert!(json::from_slice::<AuthorizationType>("5".as_bytes()).is_err());
}

#[test]
fn string_enum_conversions() {
    assert_eq!(AuthorizationType::from("CUSTOM"), AuthorizationType::Custom);
    assert_eq!(AuthorizationType::from(String::from("AWS_IAM")), AuthorizationType::AwsIam);
    assert_eq!(AuthorizationType::from(String::from("x")), AuthorizationType::Unknown("x".into()));
    assert_eq!(AuthorizationType::from_str("JWT"), Ok(AuthorizationType::Jwt));
    assert_eq!("NONE".parse::<AuthorizationType>().unwrap(), AuthorizationType::None);
    assert_eq!(AuthorizationType::AwsIam.to_string(), "AWS_IAM");
    assert_eq!(AuthorizationType::values(), &["NONE", "AWS_IAM", "CUSTOM", "JWT"]);
    let mut sorted = vec![AuthorizationType::Jwt, AuthorizationType::None];
    sorted.sort();
    assert_eq!(sorted, [AuthorizationType::None, AuthorizationType::Jwt]);
    let set: std::collections::HashSet<_> = [AuthorizationType::Jwt, AuthorizationType::from("JWT")].into();
    assert_eq!(set.len(), 1);
}

#[test]
fn int_enum_round_trip() {
    assert_eq!(String::from_utf8(json::to_vec(&Priority::Low)).unwrap(), "2");
    assert_eq!(json::from_slice::<Priority>("1".as_bytes()).unwrap(), Priority::High);
    assert_eq!(json::from_slice::<Priority>("-1".as_bytes()).unwrap(), Priority::Never);
    assert_eq!(json::from_slice::<Priority>("7".as_bytes()).unwrap(), Priority::Unknown(7));
    assert_eq!(String::from_utf8(json::to_vec(&Priority::Unknown(7))).unwrap(), "7");
    assert_eq!(Priority::from(2).as_i32(), 2);
    assert_eq!("1".parse::<Priority>().unwrap(), Priority::High);
    assert!("one".parse::<Priority>().is_err());
    assert_eq!(Priority::Never.to_string(), "-1");
    assert_eq!(Priority::values(), &[1, 2, -1]);
    assert!(json::from_slice::<Priority>(r#""1""#.as_bytes()).is_err());
}

#[test]
fn string_enums_key_maps() {
    use std::collections::HashMap;
    let map: HashMap<AuthorizationType, i32> = json::from_slice(br#"{"JWT":1,"NEW":2}"#).unwrap();
    assert_eq!(map[&AuthorizationType::Jwt], 1);
    assert_eq!(map[&AuthorizationType::Unknown("NEW".into())], 2);
    let one: HashMap<AuthorizationType, i32> = [(AuthorizationType::AwsIam, 3)].into();
    assert_eq!(json::to_vec(&one), br#"{"AWS_IAM":3}"#);
}
