; Test guest: task switches through 32-bit TSSs. JMP and CALL to a TSS descriptor, CALL and JMP
; through a task gate, IRET back along the back link with NT, the busy bits (LAR shows the
; descriptor types; a JMP to a busy task is #GP(selector)), the LDT switch (task A's ES comes from
; its own LDT; without an LDT that selector is #GP), and a divide error handled by a task through a
; task gate in the IDT (nothing pushed, the faulting EIP saved in the old TSS); #TS for a TSS below
; the minimum limit, #NP for one not present, #GP for a task gate naming a data segment (SDM vol. 2,
; JMP and CALL). Each task prints its TR, LDTR, EFLAGS.NT and back link; faults print their vector,
; error code and saved EIP relative to the instruction (+0). Prints on port 0xE9; the test compares the output with QEMU's.
; Flat multiboot image; build: nasm -f bin tasks.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
TSS_MAIN        equ 0x18
TSS_A           equ 0x20
LDT_A           equ 0x28
TASK_GATE_B     equ 0x30
TSS_B           equ 0x38
TSS_DE          equ 0x40
TSS_SMALL       equ 0x48            ; limit 0x50: below the 0x67 of a 32-bit TSS
TSS_NP          equ 0x50            ; not present
GATE_TO_DATA    equ 0x58            ; task gate naming a data segment
LDT_DATA        equ 0x0C            ; entry 1 of task A's LDT
MAGIC           equ 0x1DCAFE00

TSS_LINK        equ 0x00
TSS_EIP         equ 0x20
TSS_EFLAGS      equ 0x24
TSS_ESP         equ 0x38
TSS_ES          equ 0x48
TSS_CS          equ 0x4C
TSS_SS          equ 0x50
TSS_DS          equ 0x54
TSS_FS          equ 0x58
TSS_GS          equ 0x5C
TSS_LDT         equ 0x60
TSS_IOMAP       equ 0x66

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"
%include "sysfaults.inc"

; INIT_TSS tss, selector, entry, stack top: a ring-0 task with flat segments, starting at entry
%macro INIT_TSS 4
        mov     edi, gdt + %2
        mov     eax, %1
        call    set_base
        mov     dword [%1 + TSS_EIP], %3
        mov     dword [%1 + TSS_EFLAGS], 2
        mov     dword [%1 + TSS_ESP], %4
        mov     dword [%1 + TSS_ES], KDATA
        mov     dword [%1 + TSS_CS], KCODE
        mov     dword [%1 + TSS_SS], KDATA
        mov     dword [%1 + TSS_DS], KDATA
        mov     dword [%1 + TSS_FS], KDATA
        mov     dword [%1 + TSS_GS], KDATA
        mov     word [%1 + TSS_IOMAP], 104
%endmacro

entry:
        mov     esp, stack_top
        lgdt    [gdt_pointer]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        call    setup_exceptions
        mov     dword [idt], TSS_DE << 16       ; #DE: task gate to TSS_DE
        mov     dword [idt + 4], 0x8500
        lidt    [idt_pointer]

        mov     edi, gdt + TSS_MAIN
        mov     eax, tss_main
        call    set_base
        mov     word [tss_main + TSS_IOMAP], 104
        INIT_TSS tss_a, TSS_A, task_a, stack_a
        mov     dword [tss_a + TSS_ES], LDT_DATA
        mov     dword [tss_a + TSS_LDT], LDT_A
        INIT_TSS tss_b, TSS_B, task_b, stack_b
        INIT_TSS tss_de, TSS_DE, task_de, stack_de
        mov     edi, gdt + LDT_A
        mov     eax, ldt_a
        call    set_base
        mov     edi, ldt_a + 8
        mov     eax, ldt_data
        call    set_base
        mov     dword [ldt_data], MAGIC
        mov     edi, gdt + TSS_SMALL
        mov     eax, tss_spare
        call    set_base
        mov     edi, gdt + TSS_NP
        call    set_base
        mov     ax, TSS_MAIN
        ltr     ax

        PRINT   s_jmp_a
        mov     ebx, 0x12345678
        jmp     TSS_A:0
        call    report_main

        PRINT   s_call_a
        call    TSS_A:0
        call    report_main

        PRINT   s_call_gate
        call    TASK_GATE_B:0
        call    report_main
        PRINT   s_jmp_gate
        jmp     TASK_GATE_B:0
        call    report_main

        PRINT   s_no_ldt
        mov     ax, LDT_DATA
        EXPECT  .1
        mov     es, ax
.1:     NEWLINE

        PRINT   s_small
        EXPECT  .2
        jmp     TSS_SMALL:0
.2:     NEWLINE
        PRINT   s_np
        EXPECT  .3
        call    TSS_NP:0
.3:     NEWLINE
        PRINT   s_gate_data
        EXPECT  .4
        call    GATE_TO_DATA:0
.4:     NEWLINE

        PRINT   s_de
        xor     ecx, ecx
        mov     eax, 1
        xor     edx, edx
de_site:
        div     ecx
        PRINT   s_not_resumed
de_resume:
        call    report_main

        PRINT   s_done
        EXIT    0

; report_task: "tr=.. ldtr=.. nt=.. link=.." for the running task, whose TSS is at ESI
report_task:
        push    eax
        str     ax
        movzx   eax, ax
        PRINTHEX s_tr, eax
        sldt    ax
        movzx   eax, ax
        PRINTHEX s_ldtr, eax
        pushfd
        pop     eax
        and     eax, 0x4000
        PRINTHEX s_nt, eax
        movzx   eax, word [esi + TSS_LINK]
        PRINTHEX s_link, eax
        pop     eax
        ret

; type_of: the descriptor type of selector AX (LAR) in EAX
type_of:
        lar     eax, ax
        shr     eax, 8
        and     eax, 0xF
        ret

; report_main: back in the main task, its state and the types of task A's and B's descriptors
report_main:
        push    esi
        mov     esi, tss_main
        PRINT   s_main
        call    report_task
        PRINTHEX s_ebx, ebx
        mov     ax, TSS_A
        call    type_of
        PRINTHEX s_type_a, eax
        mov     ax, TSS_B
        call    type_of
        PRINTHEX s_type_b, eax
        NEWLINE
        pop     esi
        ret

; finish_task: back to the main task, by IRET when it was called (NT), else by JMP
%macro FINISH_TASK 0
        pushfd
        test    dword [esp], 0x4000
        lea     esp, [esp + 4]
        jz      %%jmp
        iretd
        jmp     %%done
%%jmp:  jmp     TSS_MAIN:0
%%done:
%endmacro

task_a:
        mov     esi, tss_a
        PRINT   s_task_a
        call    report_task
        mov     ax, es
        movzx   eax, ax
        PRINTHEX s_es, eax
        mov     eax, [es:0]
        PRINTHEX s_es_value, eax
        mov     ax, TSS_MAIN
        call    type_of
        PRINTHEX s_type_main, eax
        mov     ax, TSS_A
        call    type_of
        PRINTHEX s_type_own, eax
        NEWLINE
        pushfd
        test    dword [esp], 0x4000
        lea     esp, [esp + 4]
        jz      .leave
        PRINT   s_busy
        EXPECT  .2
        jmp     TSS_MAIN:0
.2:     NEWLINE
.leave: FINISH_TASK
        jmp     task_a

task_b:
        mov     esi, tss_b
        PRINT   s_task_b
        call    report_task
        NEWLINE
        FINISH_TASK
        jmp     task_b

task_de:
        mov     esi, tss_de
        PRINT   s_task_de
        call    report_task
        mov     eax, [tss_main + TSS_EIP]
        sub     eax, de_site
        PRINTHEX s_saved_eip, eax
        mov     eax, stack_de
        sub     eax, esp
        PRINTHEX s_pushed, eax
        NEWLINE
        mov     dword [tss_main + TSS_EIP], de_resume
        iretd
        jmp     task_de

; ---------------------------------------------------------------------------------------------
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 code
        dq      0x00CF92000000FFFF      ; 0x10 data
        dq      0x0000890000000067      ; 0x18 TSS main
        dq      0x0000890000000067      ; 0x20 TSS A
        dq      0x000082000000000F      ; 0x28 LDT of task A (2 entries)
        dw      0, TSS_B, 0x8500, 0     ; 0x30 task gate to TSS B
        dq      0x0000890000000067      ; 0x38 TSS B
        dq      0x0000890000000067      ; 0x40 TSS #DE
        dq      0x0000890000000050      ; 0x48 TSS, limit too small (base filled in)
        dq      0x0000090000000067      ; 0x50 TSS, not present (base filled in)
        dw      0, KDATA, 0x8500, 0     ; 0x58 task gate to a data segment
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      32 * 8 - 1
        dd      idt
        align 8
ldt_a:  dq      0
        dq      0x00409200000000FF      ; data, base ldt_data, limit 255

s_jmp_a:      db "jmp to task a", 10, 0
s_call_a:     db "call to task a", 10, 0
s_call_gate:  db "call through a task gate", 10, 0
s_jmp_gate:   db "jmp through a task gate", 10, 0
s_no_ldt:     db "ldt selector without an ldt: ", 0
s_small:      db "jmp to a tss of limit 0x50: ", 0
s_np:         db "call to a tss not present: ", 0
s_gate_data:  db "call through a task gate to a data segment: ", 0
s_de:         db "divide error to a task gate", 10, 0
s_not_resumed: db "not resumed by the #DE task", 10, 0
s_main:       db "main: ", 0
s_task_a:     db "task a: ", 0
s_task_b:     db "task b: ", 0
s_task_de:    db "task #de: ", 0
s_busy:       db "task a: jmp to the busy main task: ", 0
s_tr:         db "tr=", 0
s_ldtr:       db "ldtr=", 0
s_nt:         db "nt=", 0
s_link:       db "link=", 0
s_ebx:        db "ebx=", 0
s_es:         db "es=", 0
s_es_value:   db "es:0=", 0
s_type_a:     db "type a=", 0
s_type_b:     db "type b=", 0
s_type_main:  db "type main=", 0
s_type_own:   db "type own=", 0
s_saved_eip:  db "main eip=+", 0
s_pushed:     db "pushed=", 0
s_done:       db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  16
idt:            resb 32 * 8
tss_main:       resb 104
tss_a:          resb 104
tss_b:          resb 104
tss_de:         resb 104
tss_spare:      resb 104
ldt_data:       resb 256
site:           resd 1
resume:         resd 1
phase_esp:      resd 1
phase_next:     resd 1
        alignb  16
                resb 4096
stack_a:
                resb 4096
stack_b:
                resb 4096
stack_de:
                resb 8192
stack_top:
bss_end:
