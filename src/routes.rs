//! Page URL -> hosting platform -> the official route for reporting non-consensual intimate imagery.
//! (Being written: see issue 4.)
