//! Placeholder: this format's parser is being written.

use crate::error::ParseError;
use crate::input::Input;
use crate::model::Sink;
use crate::parsers::Meta;

pub fn parse(_input: &Input, _sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    Err(ParseError::whole("this format is not supported yet"))
}
