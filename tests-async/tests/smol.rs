//! Every case of `common/` on smol (the same cases run on tokio: `tokio.rs`).

mod common;

cases! { common::runtimes::Smol::new() =>
    once::every_policy_returns_what_the_sync_accessor_does,
    once::two_callers_joined_on_one_thread_both_complete,
    once::a_cancelled_caller_abandons_and_the_next_restarts,
    once::an_initializer_awaiting_its_own_field_panics_naming_it,
    once::the_accessors_futures_are_send,
    once::many_tasks_run_one_initializer_and_none_is_left_waiting,
    once::many_tasks_some_cancelled_finish_one_initializer,
    fan_out::results_come_in_input_order,
    fan_out::the_first_error_in_time_wins,
    fan_out::an_error_drops_the_futures_in_flight_and_starts_no_more,
    fan_out::at_most_limit_futures_are_in_flight,
    fan_out::timers_wake_the_futures,
    fan_out::the_call_is_send_and_its_futures_borrow,
}
